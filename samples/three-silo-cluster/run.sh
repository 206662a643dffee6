#!/usr/bin/env bash
# Starts a throwaway three-silo JobScheduler cluster on this machine: one PostgreSQL server in a temporary
# directory and three silo processes in durable mode, each on its own ports. Prints how to reach them and
# keeps running until Ctrl+C, which stops the silos and PostgreSQL and deletes every file it created.
#
# Environment (all optional):
#   HTTP_PORT_BASE     HTTP ports are BASE+1..BASE+3; default 8080 (so 8081, 8082, 8083)
#   SILO_PORT_BASE     silo-to-silo ports; default 11110 (11111..11113)
#   GATEWAY_PORT_BASE  Orleans client gateway ports; default 30000 (30001..30003)
#   PG_PORT            PostgreSQL port on 127.0.0.1; default: a free port
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
readonly REPO=$PWD
readonly SILO_COUNT=3
readonly HTTP_PORT_BASE=${HTTP_PORT_BASE:-8080}
readonly SILO_PORT_BASE=${SILO_PORT_BASE:-11110}
readonly GATEWAY_PORT_BASE=${GATEWAY_PORT_BASE:-30000}
readonly DATABASE=jobscheduler
readonly SILO_DLL="$REPO/src/JobScheduler.Silo/bin/Release/net10.0/JobScheduler.Silo.dll"

work_dir=""
pg_bin=""
pg_started=false
silo_pids=()

log() {
    printf '[three-silo-cluster] %s\n' "$*"
}

# Runs a PostgreSQL tool as the postgres user when this script runs as root (initdb refuses root).
as_postgres() {
    if [[ $EUID -eq 0 ]]; then
        (cd "$work_dir" && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

cleanup() {
    trap - EXIT INT TERM
    # Keep cleaning up when the terminal or a pipe reading the output is already gone.
    trap '' PIPE HUP
    log "stopping" || true
    for pid in "${silo_pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${silo_pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [[ $pg_started == true ]]; then
        as_postgres "$pg_bin/pg_ctl" -D "$work_dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [[ -n $work_dir && -d $work_dir ]]; then
        rm -rf -- "$work_dir"
    fi
    log "stopped; temporary files removed" || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z $pg_bin || ! -x $pg_bin/initdb ]]; then
    echo "PostgreSQL server binaries were not found in /usr/lib/postgresql/*/bin; install them with: apt-get install -y postgresql" >&2
    exit 1
fi

log "building the silo (Release)"
dotnet build src/JobScheduler.Silo -c Release -nologo -v quiet >/dev/null

work_dir=$(mktemp -d -t jobscheduler-cluster.XXXXXX)
if [[ $EUID -eq 0 ]]; then
    chown postgres: "$work_dir"
fi

pg_port=${PG_PORT:-$(free_port)}
log "starting PostgreSQL on 127.0.0.1:$pg_port (data in $work_dir/data)"
as_postgres "$pg_bin/initdb" -D "$work_dir/data" -U postgres --auth=trust --no-locale -E UTF8 >"$work_dir/initdb.log" 2>&1
# Each silo opens up to 32 connections (two pools of 16); 150 leaves room for three silos and psql.
as_postgres "$pg_bin/pg_ctl" -D "$work_dir/data" -l "$work_dir/postgres.log" -w -t 60 \
    -o "-p $pg_port -k $work_dir -c listen_addresses=127.0.0.1 -c max_connections=150" start >/dev/null
pg_started=true
as_postgres "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres "$DATABASE"
connection_string="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$DATABASE"

# Durable mode requires authentication: a random signing key for API tokens, and an operator login for the dashboard.
signing_key=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
dashboard_password=$(head -c 18 /dev/urandom | base64 | tr -d '\n/+=')
dashboard_hash=$(printf '%s\n' "$dashboard_password" | dotnet "$SILO_DLL" hash-password)

for i in $(seq 1 $SILO_COUNT); do
    http_port=$((HTTP_PORT_BASE + i))
    log "starting silo $i: http://127.0.0.1:$http_port, silo port $((SILO_PORT_BASE + i)), gateway port $((GATEWAY_PORT_BASE + i))"
    ConnectionStrings__JobScheduler="$connection_string" \
    Auth__SigningKey="$signing_key" \
    Dashboard__Username=admin \
    Dashboard__PasswordHash="$dashboard_hash" \
    Orleans__SiloPort=$((SILO_PORT_BASE + i)) \
    Orleans__GatewayPort=$((GATEWAY_PORT_BASE + i)) \
    Targets__AllowLoopback=true \
    ASPNETCORE_URLS="http://127.0.0.1:$http_port" \
        dotnet "$SILO_DLL" >"$work_dir/silo-$i.log" 2>&1 &
    silo_pids+=($!)

    # Start the silos one after another: the first one creates the schema, and each joins the cluster the previous ones formed.
    ready=false
    for _ in $(seq 1 60); do
        if dotnet "$SILO_DLL" healthcheck --url "http://127.0.0.1:$http_port/health/ready" --timeout 2 >/dev/null 2>&1; then
            ready=true
            break
        fi
        if ! kill -0 "${silo_pids[-1]}" 2>/dev/null; then
            break
        fi
        sleep 1
    done
    if [[ $ready != true ]]; then
        echo "Silo $i did not become ready within 60 s. Last lines of its log:" >&2
        tail -n 20 "$work_dir/silo-$i.log" >&2
        exit 1
    fi
done

token=$(Auth__SigningKey="$signing_key" dotnet "$SILO_DLL" token --user demo --expires 12h)

cat <<INFO

Three silos are running on PostgreSQL 127.0.0.1:$pg_port (database $DATABASE).

  silo  REST API and dashboard            silo port  client gateway port
INFO
for i in $(seq 1 $SILO_COUNT); do
    printf '  %-4s  http://127.0.0.1:%-5s             %-9s  %s\n' "$i" "$((HTTP_PORT_BASE + i))" "$((SILO_PORT_BASE + i))" "$((GATEWAY_PORT_BASE + i))"
done
cat <<INFO

Dashboard (any silo):  http://127.0.0.1:$((HTTP_PORT_BASE + 1))/dashboard   user admin, password $dashboard_password
Token for user "demo" (12 h):
  export JOBSCHEDULER_TOKEN=$token

Try it:
  curl -s -H "Authorization: Bearer \$JOBSCHEDULER_TOKEN" http://127.0.0.1:$((HTTP_PORT_BASE + 2))/api/v1/jobs
  JOBSCHEDULER_URL=http://127.0.0.1:$((HTTP_PORT_BASE + 1)) samples/curl-quickstart/quickstart.sh

Embedded client (samples/HostApp), finding the gateways in the membership table:
  dotnet run --project samples/HostApp -- --ConnectionStrings:JobScheduler="$connection_string" --JobScheduler:UserId=demo

Failover: stop one silo and watch the others take over its shards:
  kill ${silo_pids[1]}    # silo 2

Logs are in $work_dir (silo-N.log, postgres.log). Press Ctrl+C to stop everything.
INFO

# Wait until Ctrl+C; a silo that exits on its own is reported and the others keep running.
while true; do
    for index in "${!silo_pids[@]}"; do
        pid=${silo_pids[$index]}
        if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
            log "silo $((index + 1)) (pid $pid) has exited; see $work_dir/silo-$((index + 1)).log"
            silo_pids[index]=""
        fi
    done
    sleep 2
done
