"""Health checks for a process manager or load balancer.

/healthz  the process answers (liveness): no database, no cache, always 200 while it runs.
/readyz   it can serve pages (readiness): every configured database answers, the cache answers,
          and the primary has every migration this code expects; 503 otherwise.
Both answer a small JSON body and are never cached; they are exempt from the HTTPS redirect
(settings.SECURE_REDIRECT_EXEMPT), since probes speak plain HTTP.
"""

import logging

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# Once the primary has every migration, it keeps them: a deploy with new migrations starts new
# processes. So a process checks the migrations until they are all there, then no more.
_migrations_applied = False


def _database_answers(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _migrations_are_applied():
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        _migrations_applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrations_applied


def _cache_answers():
    cache = caches["default"]
    cache.set("readyz", "ok", 10)
    return cache.get("readyz") == "ok"


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    checks = {}
    for alias in connections:
        checks[f"database:{alias}"] = _check(lambda alias=alias: _database_answers(alias))
    checks["migrations"] = (
        _check(_migrations_are_applied) if checks["database:default"] == "ok" else "unknown"
    )
    checks["cache"] = _check(_cache_answers)
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def _check(probe):
    """Whether the probe passed ("ok" or "failing"); the reason goes to the log only."""
    try:
        return "ok" if probe() else "failing"
    except (DatabaseError, OSError, ConnectionError) as error:
        logger.warning("Readiness check failed: %s", error)
        return "failing"
    except Exception:  # a cache backend's own error class (redis.exceptions.ConnectionError...)
        logger.warning("Readiness check failed", exc_info=True)
        return "failing"
