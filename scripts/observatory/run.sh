#!/usr/bin/env bash
# Grade the production server's headers with Mozilla's HTTP Observatory, locally (loopback only):
# gunicorn with the production settings, behind scripts/observatory/tls_proxy.py (plain HTTP and
# HTTPS with a self-signed certificate, as a deployment's proxy), then the Observatory's own tests
# and grading (scan.mjs). Needs node and npm; installs the Observatory in a temporary folder
# (`npm install --ignore-scripts`: its install script would download lists from the internet).
#
#   DATABASE_URL=postgres://... scripts/observatory/run.sh      (default: the SQLite file)
#
# Ports (loopback): OBSERVATORY_PORTS="8153 8154 8155" = plain HTTP, HTTPS, gunicorn.
set -euo pipefail
cd "$(dirname "$0")/../.."
read -r HTTP_PORT HTTPS_PORT APP_PORT <<<"${OBSERVATORY_PORTS:-8153 8154 8155}"
WORK=$(mktemp -d /tmp/observatory.XXXXXX)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

OBSERVATORY=${OBSERVATORY_DIR:-}
if [ -z "$OBSERVATORY" ]; then
  (cd "$WORK" && npm init -y >/dev/null && npm install --silent --ignore-scripts @mdn/mdn-http-observatory >/dev/null)
  OBSERVATORY="$WORK/node_modules/@mdn/mdn-http-observatory"
fi
# The install script that was skipped would download Chromium's HSTS preload list; localhost is
# not on it, so an empty list grades the same (no preload bonus).
[ -f "$OBSERVATORY/conf/hsts-preload.json" ] || echo '{}' >"$OBSERVATORY/conf/hsts-preload.json"

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null

export SECRET_KEY=${SECRET_KEY:-$(python3 -c "import secrets; print(secrets.token_urlsafe(50))")}
export ALLOWED_HOSTS=localhost TRUSTED_PROXY_COUNT=1
unset DEBUG HTTPS
.venv/bin/python manage.py migrate --noinput >/dev/null
.venv/bin/python manage.py load_initial_data >/dev/null
.venv/bin/python manage.py collectstatic --noinput --verbosity 0
.venv/bin/gunicorn --config gunicorn.conf.py --bind "127.0.0.1:$APP_PORT" --workers 2 \
  --access-logfile /dev/null config.wsgi 2>"$WORK/gunicorn.log" &
PIDS+=($!)
.venv/bin/python scripts/observatory/tls_proxy.py --upstream "127.0.0.1:$APP_PORT" \
  --http "$HTTP_PORT" --https "$HTTPS_PORT" --public-host "localhost:$HTTPS_PORT" \
  --cert "$WORK/cert.pem" --key "$WORK/key.pem" &
PIDS+=($!)
for _ in $(seq 1 50); do
  curl -sf --cacert "$WORK/cert.pem" "https://localhost:$HTTPS_PORT/healthz" >/dev/null && break
  sleep 0.2
done
echo "Headers of https://localhost:$HTTPS_PORT/ :" >&2
curl -sSI --cacert "$WORK/cert.pem" "https://localhost:$HTTPS_PORT/" >&2
NODE_EXTRA_CA_CERTS="$WORK/cert.pem" node scripts/observatory/scan.mjs "$OBSERVATORY" localhost \
  "$HTTP_PORT" "$HTTPS_PORT"
