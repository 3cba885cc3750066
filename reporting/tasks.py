"""Background tasks (django-tasks): the database queue everywhere (settings.TASKS). Production
runs it with ``manage.py db_worker``, development with a thread of the server
(labs/background.py), tests with the ``run_tasks`` fixture (the worker's batch mode)."""

from django_tasks import task


@task()
def generate_report(report_id: int) -> str:
    from .services import report_build

    return report_build(report_id=report_id)
