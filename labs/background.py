"""Development's task queue: production's database queue, run by a thread of the server.

In production ``manage.py db_worker`` (``make worker``) runs the queued tasks. In
development a second process is one more thing to forget, and running the task inside
the request (django-tasks' ImmediateBackend) blocks it for the whole report build, with
no progress page. ``ThreadedDatabaseBackend`` queues exactly as production does, so the
same progress page polls the same rows, and once the request's transaction commits it
starts a thread that runs what is queued, one task at a time.
"""

import threading

from django.db import connections, transaction
from django_tasks_db.backend import DatabaseBackend

_running = threading.Lock()


def _worker(backend_name: str):
    from django_tasks_db.management.commands.db_worker import Worker

    class ThreadWorker(Worker):
        # Signals belong to the main thread (the server's): a worker thread leaves them.
        def configure_signals(self) -> None:
            pass

        def reset_signals(self) -> None:
            pass

    return ThreadWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend_name,
        startup_delay=False,
        max_tasks=None,
        worker_id=f"thread-{threading.get_native_id()}",
        excluded_queue_names=[],
    )


class ThreadedDatabaseBackend(DatabaseBackend):
    def enqueue(self, task, args, kwargs):
        result = super().enqueue(task, args, kwargs)
        transaction.on_commit(self.start)
        return result

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.drain, name="quartieri-tasks", daemon=True)
        thread.start()
        return thread

    def drain(self) -> None:
        """Run every task that is ready; a thread that finds another draining waits for
        it, then finds nothing left or what was queued meanwhile."""
        with _running:
            try:
                _worker(self.alias).run()
            finally:
                connections.close_all()
