#!/usr/bin/env bash
# A real streaming replica of the local PostgreSQL, for trying and testing read replicas
# (DATABASE_REPLICA_URL). Not for production: there, your provider's or your DBA's replicas.
#
#   scripts/replica.sh start    copy the primary with pg_basebackup and start the copy as a hot
#                               standby on REPLICA_PORT, streaming from the primary
#   scripts/replica.sh stop     stop it and delete its files
#   scripts/replica.sh status
#
# Environment: PRIMARY_HOST (127.0.0.1), PRIMARY_PORT (5432), PRIMARY_USER (postgres, a
# superuser or a role with REPLICATION), REPLICA_PORT (8151), REPLICA_DIR
# (/tmp/goodpractice-replica-$REPLICA_PORT), PG_BIN (the server binaries of the primary's major
# version, found under /usr/lib/postgresql).
#
# The primary must allow replication connections from 127.0.0.1. Debian's default pg_hba.conf
# does not (its "all" does not cover replication): when the primary's pg_hba.conf is a file on
# this machine that we may write, the script appends, once,
#     host replication all 127.0.0.1/32 trust
# and reloads the primary (pg_reload_conf(); no restart). wal_level must be replica (the
# default) or logical and max_wal_senders above 0; the script stops with a message otherwise.
# No replication slot is made: a replica left behind never makes the primary keep WAL.
set -euo pipefail

PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
PRIMARY_USER=${PRIMARY_USER:-postgres}
REPLICA_PORT=${REPLICA_PORT:-8151}
REPLICA_DIR=${REPLICA_DIR:-/tmp/goodpractice-replica-$REPLICA_PORT}

primary() { psql -X -q -At -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" -d postgres "$@"; }

# The server binaries of the primary's major version.
if [ -z "${PG_BIN:-}" ]; then
  major=$(primary -c "SHOW server_version_num" 2>/dev/null | cut -c1-2 || true)
  PG_BIN=/usr/lib/postgresql/${major:-15}/bin
fi

# The cluster must not belong to root: as root, run its programs as the postgres user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

replication_allowed() {
  psql -X -q -At "host=$PRIMARY_HOST port=$PRIMARY_PORT user=$PRIMARY_USER replication=true" \
    -c "IDENTIFY_SYSTEM" >/dev/null 2>&1
}

allow_replication() {
  replication_allowed && return 0
  local hba
  hba=$(primary -c "SHOW hba_file")
  if [ ! -w "$hba" ]; then
    echo "The primary refuses replication connections, and its $hba is not writable here:" >&2
    echo "add 'host replication all 127.0.0.1/32 trust' (or md5) to it and reload it." >&2
    exit 1
  fi
  grep -qE '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba" || {
    echo "Allowing replication from 127.0.0.1 in $hba (goodpractice scripts/replica.sh)."
    printf '# Added by goodpractice scripts/replica.sh: streaming replicas on this machine.\nhost replication all 127.0.0.1/32 trust\n' >>"$hba"
  }
  primary -c "SELECT pg_reload_conf()" >/dev/null
  for _ in $(seq 1 20); do replication_allowed && return 0; sleep 0.2; done
  echo "The primary still refuses replication connections after the reload." >&2
  exit 1
}

start() {
  if [ -f "$REPLICA_DIR/postmaster.pid" ] && as_owner "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" status >/dev/null 2>&1; then
    echo "A replica is already running on port $REPLICA_PORT ($REPLICA_DIR)."
    return 0
  fi
  [ -x "$PG_BIN/pg_basebackup" ] || { echo "No PostgreSQL server binaries in $PG_BIN." >&2; exit 1; }
  local wal_level senders
  wal_level=$(primary -c "SHOW wal_level")
  senders=$(primary -c "SHOW max_wal_senders")
  if [ "$wal_level" = minimal ] || [ "$senders" = 0 ]; then
    echo "The primary has wal_level=$wal_level, max_wal_senders=$senders: set wal_level=replica" >&2
    echo "and max_wal_senders=10 (PostgreSQL's defaults) and restart it." >&2
    exit 1
  fi
  allow_replication

  rm -rf "$REPLICA_DIR"
  mkdir -p "$REPLICA_DIR"
  chmod 700 "$REPLICA_DIR"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$REPLICA_DIR"
  # -R writes primary_conninfo and standby.signal: the copy starts as a standby of the primary.
  as_owner "$PG_BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" \
    -D "$REPLICA_DIR" -R -X stream -c fast --no-password
  # Debian keeps a cluster's configuration in /etc: the copy gets a small one of its own. A hot
  # standby needs at least the primary's limits.
  local limits
  limits=$(primary -c "SELECT string_agg(name || ' = ' || setting, E'\n') FROM pg_settings
    WHERE name IN ('max_connections', 'max_worker_processes', 'max_wal_senders',
                   'max_prepared_transactions', 'max_locks_per_transaction')")
  as_owner tee "$REPLICA_DIR/postgresql.conf" >/dev/null <<CONF
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$REPLICA_DIR'
hot_standby = on
shared_buffers = 32MB
logging_collector = off
$limits
CONF
  as_owner tee "$REPLICA_DIR/pg_hba.conf" >/dev/null <<HBA
local all all trust
host all all 127.0.0.1/32 trust
HBA
  as_owner "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -l "$REPLICA_DIR/server.log" -w -t 60 start >/dev/null
  local recovering
  recovering=$(psql -X -q -At -h 127.0.0.1 -p "$REPLICA_PORT" -U "$PRIMARY_USER" -d postgres \
    -c "SELECT pg_is_in_recovery()")
  [ "$recovering" = t ] || { echo "The copy did not start as a standby." >&2; exit 1; }
  echo "Replica streaming from $PRIMARY_HOST:$PRIMARY_PORT on 127.0.0.1:$REPLICA_PORT ($REPLICA_DIR)."
}

stop() {
  if [ -d "$REPLICA_DIR" ]; then
    as_owner "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$REPLICA_DIR"
  fi
  echo "Replica on port $REPLICA_PORT stopped."
}

status() {
  as_owner "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" status
  primary -c "SELECT client_addr, state, replay_lag FROM pg_stat_replication"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
