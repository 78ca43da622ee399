#!/usr/bin/env bash
# Load and fault tests of the production stack on loopback, bounded in time (README, "Deploying").
#
#   scripts/load/run.sh [load] [restart] [fuzz]      (all three without arguments)
#
#   load     wrk, 60 s at 50 connections on the search page: every answer a 200, no socket error
#   restart  the same load for 40 s, with PostgreSQL restarted 15 s in (RESTART_COMMAND, default
#            `pg_ctlcluster 15 main restart`): no answer >= 500 but 503, and 200 again at once
#   fuzz     10,000 made-up query strings, paths and form posts: no answer >= 500
#
# gunicorn (gunicorn.conf.py, production settings over plain HTTP: HTTPS=off) serves a database of
# its own, LOAD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/goodpractice_load),
# created and seeded if missing, at 127.0.0.1:LOAD_PORT (8156). Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
PHASES=${*:-load restart fuzz}
PORT=${LOAD_PORT:-8156}
BASE="http://127.0.0.1:$PORT"
URL="$BASE/practices/?q=export"
export DATABASE_URL=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/goodpractice_load}
export SECRET_KEY=${SECRET_KEY:-$(python3 -c "import secrets; print(secrets.token_urlsafe(50))")}
export HTTPS=off ALLOWED_HOSTS=127.0.0.1
unset DEBUG
RESTART_COMMAND=${RESTART_COMMAND:-pg_ctlcluster 15 main restart}
LOG=$(mktemp -d /tmp/load.XXXXXX)

database=${DATABASE_URL##*/}
psql "${DATABASE_URL%/*}/postgres" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$database'" \
  | grep -q 1 || createdb -h 127.0.0.1 -U postgres "$database"
.venv/bin/python manage.py migrate --noinput >/dev/null
.venv/bin/python manage.py load_initial_data >/dev/null
.venv/bin/python manage.py collectstatic --noinput --verbosity 0

.venv/bin/gunicorn --config gunicorn.conf.py --bind "127.0.0.1:$PORT" \
  --access-logfile "$LOG/access.log" config.wsgi 2>"$LOG/gunicorn.log" &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true; wait $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "$BASE/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "$URL" >/dev/null
echo "gunicorn $(.venv/bin/gunicorn --version 2>&1 | tail -1), $(grep -c 'Booting worker' "$LOG/gunicorn.log") workers, logs in $LOG"

for phase in $PHASES; do
  case $phase in
    load)
      echo "== load: 60 s, 50 connections, $URL"
      wrk -t2 -c50 -d60s --latency -s scripts/load/status_counts.lua "$URL"
      ;;
    restart)
      echo "== restart: 40 s, 50 connections, '$RESTART_COMMAND' 15 s in"
      wrk -t2 -c50 -d40s -s scripts/load/status_counts.lua "$URL" >"$LOG/restart-wrk.txt" &
      WRK=$!
      .venv/bin/python scripts/load/restart_probe.py "$URL" --restart "$RESTART_COMMAND" \
        --after 15 --duration 20
      wait $WRK
      cat "$LOG/restart-wrk.txt"
      ;;
    fuzz)
      echo "== fuzz: 10,000 requests"
      .venv/bin/python scripts/load/fuzz.py "$BASE" --count 10000 --seed 15 || true
      ;;
  esac
done
echo "server errors logged by Django: $(grep -c 'Internal Server Error' "$LOG/gunicorn.log" || true);" \
  "database outages answered 503: $(grep -c '" 503 ' "$LOG/access.log" || true)"
