#!/usr/bin/env bash
# The load harness: builds the release server, starts it on a fresh database, seeds it
# through the API, runs each scenario with wrk, and prints a table and JSON.
#
#   bench/run.sh [sqlite|postgres] [seconds per scenario] [connections]
#
# Environment: CALLS (published calls to seed through the API, default 1000), RUSH
# (providers in the deadline rush, default 256), BULK_CALLS / BULK_BIDS_PER_CALL (the large
# dataset inserted directly after the first read scenarios, default 100 000 calls with 10 bids
# each; 0 skips it), EVALUATE=0 skips the evaluate scenario. On PostgreSQL a second replica
# joins for a rush split across both. Needs wrk (apt-get install wrk) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-sqlite}
T=${2:-10}
C=${3:-64}
CALLS=${CALLS:-1000}
RUSH=${RUSH:-256}
BULK_CALLS=${BULK_CALLS:-100000}
BULK_BIDS_PER_CALL=${BULK_BIDS_PER_CALL:-10}
command -v wrk >/dev/null || { echo "bench needs wrk: apt-get install wrk"; exit 1; }

cargo build --release -p api >/dev/null 2>&1 || cargo build --release -p api
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
PGBASE=postgres://postgres@127.0.0.1:5432
case "$DB" in
  sqlite) URL="sqlite://$WORK/bench.db?mode=rwc" ;;
  postgres) PGDB="kt_bench_$$"; psql "$PGBASE/postgres" -q -c "CREATE DATABASE $PGDB"; URL="$PGBASE/$PGDB" ;;
  *) echo "database: sqlite or postgres"; exit 2 ;;
esac
cleanup() {
  for p in ${PID:-} ${PID2:-}; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${PGDB:-}" ] && psql "$PGBASE/postgres" -q -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

start_server() { # port, log file; prints the pid
  DATABASE_URL="$URL" BIND="127.0.0.1:$1" JWT_SECRET=bench-secret ADMIN_EMAIL=bench@kunta.example.fi \
    ADMIN_PASSWORD=bench-admin-password MAIL_DIR="$WORK/mail" RUST_LOG=warn \
    target/release/api > "$2" 2>&1 &
  echo $!
}
PID=$(start_server "$PORT" "$WORK/server.log")
for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
echo "== $DB: server pid $PID on $BASE; seeding $CALLS calls and $RUSH providers"
python3 bench/seed.py "$BASE/graphql" bench@kunta.example.fi bench-admin-password "$CALLS" "$RUSH" "$WORK/state.json"
py() { python3 -c "import json,sys; s=json.load(open('$WORK/state.json')); $1"; }
FIRST_CALL=$(py 'print(s["calls"][0])')
RUSH_CALL=$(py 'print(s["rush_call"])')
py 'print("\n".join(s["tokens"]))' > "$WORK/tokens.txt"

cat > "$WORK/list.json" <<JSON
{"query":"{ calls(first: 20) { totalCount edges { node { id title status submissionDeadline orderer { name } lines { quantity product { code name unit } } } } } }"}
JSON
cat > "$WORK/detail.json" <<JSON
{"query":"query(\$id: ID!) { call(id: \$id) { id title description status pricingModel contractStart contractEnd questionsDeadline submissionDeadline standstillDays orderer { name } lines { id quantity product { code name unit category } } criteria { priceWeight qualityCriteria { id name weight maxPoints } minTurnoverRatio minEquityRatio minCreditRating capabilityRequirements { id text } maxSubcontractingShare } questions { text answer } bidCount } }","variables":{"id":"$FIRST_CALL"}}
JSON

run() { # name, wrk arguments...
  local name=$1; shift
  wrk --latency -t2 --timeout 10s "$@" 2>&1 | sed -n 's/^JSON //p' > "$WORK/$name.json"
  echo "   $name: $(cat "$WORK/$name.json")"
}
reads() { # suffix: the read scenarios, anonymous (public answer cache) and signed in (uncached)
  export TOKEN=""
  export BODY="$WORK/list.json"; run "public-list$1" -c"$C" -d"${T}s" -s bench/graphql.lua "$BASE/graphql"
  export BODY="$WORK/detail.json"; run "call-detail$1" -c"$C" -d"${T}s" -s bench/graphql.lua "$BASE/graphql"
  export TOKEN=$(head -1 "$WORK/tokens.txt")
  export BODY="$WORK/list.json"; run "public-list-signed-in$1" -c"$C" -d"${T}s" -s bench/graphql.lua "$BASE/graphql"
  export BODY="$WORK/detail.json"; run "call-detail-signed-in$1" -c"$C" -d"${T}s" -s bench/graphql.lua "$BASE/graphql"
  export TOKEN=""
}

run floor -c"$C" -d"${T}s" -s bench/get.lua "$BASE/healthz"
reads ""
if [ "$BULK_CALLS" -gt 0 ]; then
  case "$DB" in sqlite) TARGET="sqlite:$WORK/bench.db" ;; postgres) TARGET="postgres:$URL" ;; esac
  python3 bench/bulk.py "$TARGET" "$WORK/state.json" "$BULK_CALLS" "$BULK_BIDS_PER_CALL" 1000 | tee "$WORK/bulk.txt"
  reads "@bulk"
  python3 bench/explain.py "$TARGET" "$FIRST_CALL" > "bench/explain-$DB.txt"
  echo "   query plans: bench/explain-$DB.txt"
fi

RUSH_LINE1=$(py 'print(s["rush_lines"][0])')
RUSH_LINE2=$(py 'print(s["rush_lines"][1])')
export TOKENS="$WORK/tokens.txt" RUSH_CALL RUSH_LINE1 RUSH_LINE2
run deadline-rush -c"$RUSH" -d"${T}s" -s bench/rush.lua "$BASE/graphql"
RUSHES="deadline-rush"
if [ "$DB" = postgres ]; then
  # A second replica on the same database; the rush again, half the connections on each.
  PORT2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  PID2=$(start_server "$PORT2" "$WORK/server2.log")
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT2/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -sf "http://127.0.0.1:$PORT2/healthz" >/dev/null || { echo "the second replica did not start in 60 s:"; cat "$WORK/server2.log"; exit 1; }
  run rush-replica-a -c$((RUSH / 2)) -d"${T}s" -s bench/rush.lua "$BASE/graphql" &
  run rush-replica-b -c$((RUSH / 2)) -d"${T}s" -s bench/rush.lua "http://127.0.0.1:$PORT2/graphql"
  wait %1 2>/dev/null || wait
  RUSHES="deadline-rush rush-replica-a rush-replica-b"
fi

# Every acknowledged submission must be stored exactly once: one bid per provider, whose
# version counts its acknowledged submissions.
SQL="select count(*), coalesce(sum(version),0) from bid where call_id='$RUSH_CALL'"
case "$DB" in
  sqlite) python3 -c "import sqlite3,sys; print(*sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone())" "$WORK/bench.db" "$SQL" > "$WORK/stored.txt" ;;
  postgres) psql "$URL" -At -F' ' -c "$SQL" > "$WORK/stored.txt" ;;
esac
awk '/VmHWM/ {print $2}' "/proc/$PID/status" > "$WORK/rss.txt"
[ -n "${PID2:-}" ] && awk '/VmHWM/ {print $2}' "/proc/$PID2/status" > "$WORK/rss2.txt"
kill "$PID" ${PID2:-} 2>/dev/null || true

# The evaluate scenario: ranking a call with 10 000 bids, through the service and GraphQL, as
# one lot and over five lots.
if [ "${EVALUATE:-1}" = 1 ]; then
  case "$DB" in sqlite) EV_URL="" ;; postgres) EV_URL="$PGBASE/$PGDB" ;; esac
  DATABASE_URL="$EV_URL" cargo test -q --release --test e2e evaluate_10k:: -- --ignored --nocapture --test-threads=1 2>&1 \
    | tee "$WORK/evaluate.txt" | grep -E '(seeded|evaluate|bids per)' || { cat "$WORK/evaluate.txt"; exit 1; }
else
  : > "$WORK/evaluate.txt"
fi

python3 bench/report.py "$WORK" "$DB" "$CALLS" "$T" "$C" "$RUSHES"
