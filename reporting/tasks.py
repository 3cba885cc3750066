"""Background tasks (django-tasks): the database queue in production, run by
``manage.py db_worker``; at once in the request in development and tests (settings.TASKS)."""

from django_tasks import task


@task()
def generate_report(report_id: int) -> str:
    from .services import report_build

    return report_build(report_id=report_id)
