#!/usr/bin/env bash
# Walks through the REST API of a running silo with curl: create a recurring job, read its executions,
# run it now, pause, resume and delete it. The job's target is the silo's own liveness endpoint, so no
# other server is needed.
#
# Environment:
#   JOBSCHEDULER_URL    the silo's HTTP address; default http://localhost:8080
#   JOBSCHEDULER_TOKEN  a bearer token (from the silo's `token` command); not needed in dev mode on loopback
set -euo pipefail

BASE_URL=${JOBSCHEDULER_URL:-http://localhost:8080}
API="$BASE_URL/api/v1"
AUTH=()
if [[ -n ${JOBSCHEDULER_TOKEN:-} ]]; then
    AUTH=(-H "Authorization: Bearer $JOBSCHEDULER_TOKEN")
fi

# Prints one member of the JSON document on standard input; $1 is a Python expression over `d`.
json() {
    python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"
}

step() {
    printf '\n== %s\n' "$*"
}

step "Is the silo ready?"
if ! curl -fsS "$BASE_URL/health/ready" >/dev/null; then
    echo "No ready silo responds at $BASE_URL. Start one with: dotnet run --project src/JobScheduler.Silo" >&2
    exit 1
fi
echo "yes: $BASE_URL/health/ready answered 200"

step "Create a job that runs every 2 seconds (6 cron fields: the first is seconds)"
JOB=$(curl -fsS "${AUTH[@]}" -X POST "$API/jobs" \
    -H 'Content-Type: application/json' \
    -d '{
          "name": "curl-quickstart",
          "type": "RECURRING",
          "scheduleExpression": "*/2 * * * * *",
          "target": { "type": "HTTP", "url": "'"$BASE_URL"'/health/live", "method": "GET", "timeoutSeconds": 5 },
          "retryPolicy": { "maxRetries": 1, "retryInterval": 10 }
        }')
JOB_ID=$(json 'd["jobId"]' <<<"$JOB")
echo "job $JOB_ID, next run at $(json 'd["nextExecutionAt"]' <<<"$JOB")"

step "Wait 5 seconds, then list the latest executions (newest first)"
sleep 5
curl -fsS "${AUTH[@]}" "$API/jobs/$JOB_ID/executions?limit=3" \
    | json '"\n".join("%s  %-9s  scheduled %s  key %s" % (e["executionId"], e["status"], e["scheduledAt"], e["idempotencyKey"]) for e in d["items"])'

step "Run the job now: 202 Accepted with the new execution id"
EXECUTION_ID=$(curl -fsS "${AUTH[@]}" -X POST "$API/jobs/$JOB_ID/execute" | json 'd["executionId"]')
echo "execution $EXECUTION_ID"
for _ in $(seq 1 50); do
    STATUS=$(curl -fsS "${AUTH[@]}" "$API/executions/$EXECUTION_ID" | json 'd["status"]')
    [[ $STATUS != PENDING && $STATUS != RUNNING ]] && break
    sleep 0.2
done
echo "status $STATUS"

step "Pause, resume and delete (each answers the job with its new status and version)"
for ACTION in pause resume; do
    curl -fsS "${AUTH[@]}" -X POST "$API/jobs/$JOB_ID/$ACTION" | json '"%s (version %s)" % (d["status"], d["version"])'
done
curl -fsS "${AUTH[@]}" -X DELETE "$API/jobs/$JOB_ID" | json '"%s (version %s)" % (d["status"], d["version"])'

step "An invalid expression is rejected with 400 and the field to fix"
curl -sS "${AUTH[@]}" -X POST "$API/jobs" \
    -H 'Content-Type: application/json' \
    -d '{"name": "broken", "type": "RECURRING", "scheduleExpression": "30 25 * * *",
         "target": {"type": "HTTP", "url": "'"$BASE_URL"'/health/live"}}' \
    | json '"%s field=%s: %s" % (d["status"], d["field"], d["detail"])'
