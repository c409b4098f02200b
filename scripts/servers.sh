#!/usr/bin/env bash
# Ensure PostgreSQL and RabbitMQ are installed and running on 127.0.0.1 for the
# integration tests. Written for Debian 12 as root without systemd (CI, dev
# containers). Idempotent: does nothing but check when both are already up.
set -euo pipefail

export PATH="$PATH:/usr/sbin:/sbin"   # rabbitmq-* live in /usr/sbin
unset PGPASSWORD                      # the tests rely on trust auth, so check without one
DATABASES=(intake programmes release)

die() { echo "servers: $*" >&2; exit 1; }

# ---- install what is missing --------------------------------------------
pkgs=()
# pg_ctlcluster/psql alone may come from client packages; also require a server binary.
if ! command -v pg_ctlcluster >/dev/null || ! command -v psql >/dev/null \
    || ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
    pkgs+=(postgresql)
fi
command -v rabbitmq-server >/dev/null || pkgs+=(rabbitmq-server)
if ((${#pkgs[@]})); then
    [[ $(id -u) -eq 0 ]] || die "missing ${pkgs[*]} and not root to install them"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi

# ---- PostgreSQL ------------------------------------------------------------
pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
pg_sql() { psql -h 127.0.0.1 -p 5432 -U postgres -w -X -tAc "$1" 2>/dev/null; }
# As the postgres OS user over the Unix socket (peer auth), which works even
# before pg_hba.conf trusts TCP connections.
# cd / so psql does not warn that postgres cannot access our cwd.
pg_local() { (cd / && runuser -u postgres -- psql -p 5432 -X -tAc "$1"); }

if ! pg_up; then
    # Newest configured cluster version (dirs are plain version numbers);
    # `|| true` because with pipefail a missing /etc/postgresql would abort.
    # shellcheck disable=SC2012
    ver="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1 || true)"
    if [[ -z "$ver" || ! -d "/etc/postgresql/$ver/main" ]]; then
        # shellcheck disable=SC2012
        [[ -n "$ver" ]] || ver="$(ls /usr/lib/postgresql | sort -V | tail -1)"
        pg_createcluster "$ver" main >/dev/null
    fi
    # status exits non-zero when the cluster is down; start errors if it is up.
    pg_ctlcluster --skip-systemctl-redirect "$ver" main status >/dev/null 2>&1 \
        || pg_ctlcluster --skip-systemctl-redirect "$ver" main start
    for _ in $(seq 60); do pg_up && break; sleep 1; done
    pg_up || die "postgresql did not come up on 127.0.0.1:5432 within 60s (see /var/log/postgresql/)"
fi

if ! pg_sql 'select 1' >/dev/null; then
    # Fresh Debian installs use peer/scram; put trust rules first so they win.
    hba="$(pg_local 'show hba_file')"
    sed -i -e '/^host all all 127\.0\.0\.1\/32 trust$/d' -e '/^host all all ::1\/128 trust$/d' "$hba"
    sed -i -e '1i host all all 127.0.0.1/32 trust' -e '1i host all all ::1/128 trust' "$hba"
    pg_local 'select pg_reload_conf()' >/dev/null
    sleep 1
    pg_sql 'select 1' >/dev/null || die "postgresql: user postgres still cannot log in on 127.0.0.1 without a password ($hba)"
fi

for db in "${DATABASES[@]}"; do
    if [[ "$(pg_sql "select 1 from pg_database where datname='$db'")" != 1 ]]; then
        # Re-check on failure: a concurrent run may have just created it.
        pg_sql "create database $db" >/dev/null \
            || [[ "$(pg_sql "select 1 from pg_database where datname='$db'")" == 1 ]] \
            || die "postgresql: could not create database $db"
    fi
done

maxconn="$(pg_sql 'show max_connections')"
((maxconn >= 100)) || echo "servers: warning: postgresql max_connections is $maxconn (< 100)" >&2

# ---- RabbitMQ ----------------------------------------------------------------
# Every rabbitmqctl call boots an Erlang VM (~1-2s), so keep them few.
rmq_up() { timeout 20 rabbitmqctl -q status >/dev/null 2>&1; }

if ! rmq_up; then
    rabbitmq-server -detached >/dev/null 2>&1 || true   # warns about the PID file; the loop below is the real check
    # Poll `status` (fails until the rabbit app runs) rather than looping on
    # await_startup: that one fails at once while the node is not reachable
    # yet and otherwise polls only every 10s. It is called once at the end.
    deadline=$((SECONDS + 120))
    until rmq_up; do
        ((SECONDS < deadline)) || die "rabbitmq did not come up within 120s (see /var/log/rabbitmq/)"
        sleep 1
    done
    timeout 60 rabbitmqctl -q await_startup >/dev/null 2>&1 || die "rabbitmq: await_startup failed"
fi

# guest/guest is allowed from loopback by default; repair it if someone changed it.
if ! timeout 20 rabbitmqctl -q authenticate_user guest guest >/dev/null 2>&1; then
    timeout 20 rabbitmqctl -q add_user guest guest >/dev/null 2>&1 \
        || timeout 20 rabbitmqctl -q change_password guest guest >/dev/null
    timeout 20 rabbitmqctl -q set_user_tags guest administrator >/dev/null
    timeout 20 rabbitmqctl -q set_permissions -p / guest '.*' '.*' '.*' >/dev/null
fi

# Capture first: grep -q in a pipe could SIGPIPE the lister and trip pipefail.
enabled="$(timeout 30 rabbitmq-plugins -q list -e -m)"
if ! grep -qx rabbitmq_management <<<"$enabled"; then
    timeout 60 rabbitmq-plugins -q enable rabbitmq_management >/dev/null
fi

# The node can report ready a moment before the AMQP listener accepts.
for _ in $(seq 30); do
    (: </dev/tcp/127.0.0.1/5672) 2>/dev/null && break
    sleep 1
done
(: </dev/tcp/127.0.0.1/5672) 2>/dev/null || die "rabbitmq is running but not accepting AMQP connections on 127.0.0.1:5672"

echo "servers: postgresql ready (databases ${DATABASES[*]})"
echo "servers: rabbitmq ready"
