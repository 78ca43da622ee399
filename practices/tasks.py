"""The practices' background jobs (django-tasks; run by `manage.py db_worker`)."""

from django_tasks import task

from . import importing


@task()
def import_job_check_task(*, job_id):
    """Check an uploaded file: the preview of its import."""
    importing.import_job_check(job_id=job_id)


@task()
def import_job_apply_task(*, job_id):
    """Import a checked and confirmed file."""
    importing.import_job_apply(job_id=job_id)
