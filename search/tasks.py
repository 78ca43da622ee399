"""The search's background jobs (django-tasks; run by `manage.py db_worker`)."""

import logging

from django_tasks import task

from .documents import practice_documents_refresh

logger = logging.getLogger(__name__)


@task()
def search_documents_refresh_task(*, practice_ids=None, using="default"):
    """Rewrite the search text of ``practice_ids`` (every practice when ``None``): after a rename
    of a record they name, or to rebuild the whole index. Returns how many changed."""
    changed = practice_documents_refresh(practice_ids=practice_ids, using=using)
    logger.info("Search text refreshed: %s practices changed.", changed)
    return changed
