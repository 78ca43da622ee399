"""gunicorn's settings for the production site (`make serve`; `gunicorn -c gunicorn.conf.py
config.wsgi`). Each reads an environment variable first (README, "Deploying").

Sync workers: each request has a process of its own, and the pages are short database reads, so
(2 x cores) + 1 workers keep the cores busy while others wait on PostgreSQL. Put a proxy that
buffers slow clients (nginx, a load balancer) in front when the site faces the internet.
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# The cores this process may use (a container's limit, not the host's count).
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * len(os.sched_getaffinity(0)) + 1))
worker_class = "sync"
# A request that takes longer is stuck: the worker is killed and replaced (the request gets a
# 502 from the proxy). The slowest page, a cold search at 100,000 practices, takes under 2 s.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On a restart or deploy, requests under way get this long to finish.
graceful_timeout = 30
keepalive = 5
# The application is imported once, before the workers are forked: a worker that is replaced
# (after a crash or a timeout) starts at once instead of importing Django again while its share
# of the requests waits. Deploy new code by restarting gunicorn, not with HUP.
preload_app = True
# Workers are not recycled after a number of requests: no leak is known, and every replacement
# costs a pause. Should one appear, GUNICORN_CMD_ARGS="--max-requests 20000" is the remedy.
# Access log on standard output, error log on standard error: the process manager keeps them.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client address, request, status, size, referrer, user agent, and the time taken in ms.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
# Workers' heartbeat files in memory, not on a disk that may stall (container file systems).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# gunicorn believes X-Forwarded-Proto only from these addresses (its FORWARDED_ALLOW_IPS
# variable; default: this machine). Django believes it with TRUSTED_PROXY_COUNT.
