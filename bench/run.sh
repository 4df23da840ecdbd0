#!/usr/bin/env bash
# The load harness: builds the release server, starts it on a fresh database, seeds it
# through the API, runs each scenario with wrk, and prints a table and JSON.
#
#   bench/run.sh [sqlite|postgres] [seconds per scenario] [connections]
#
# Environment: CALLS (published calls to seed, default 1000), RUSH (providers in the
# deadline rush, default 256). Needs wrk (apt-get install wrk) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-sqlite}
T=${2:-10}
C=${3:-64}
CALLS=${CALLS:-1000}
RUSH=${RUSH:-256}
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
  [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  [ -n "${PGDB:-}" ] && psql "$PGBASE/postgres" -q -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

DATABASE_URL="$URL" BIND="127.0.0.1:$PORT" JWT_SECRET=bench-secret ADMIN_EMAIL=bench@kunta.example.fi \
  ADMIN_PASSWORD=bench-admin-password MAIL_DIR="$WORK/mail" RUST_LOG=warn \
  target/release/api > "$WORK/server.log" 2>&1 &
PID=$!
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

run floor -c"$C" -d"${T}s" -s bench/get.lua "$BASE/healthz"
export BODY="$WORK/list.json"
run public-list -c"$C" -d"${T}s" -s bench/graphql.lua "$BASE/graphql"
export BODY="$WORK/detail.json"
run call-detail -c"$C" -d"${T}s" -s bench/graphql.lua "$BASE/graphql"
RUSH_LINE1=$(py 'print(s["rush_lines"][0])')
RUSH_LINE2=$(py 'print(s["rush_lines"][1])')
export TOKENS="$WORK/tokens.txt" RUSH_CALL RUSH_LINE1 RUSH_LINE2
run deadline-rush -c"$RUSH" -d"${T}s" -s bench/rush.lua "$BASE/graphql"

# Every acknowledged submission must be stored exactly once: one bid per provider, whose
# version counts its acknowledged submissions.
SQL="select count(*), coalesce(sum(version),0) from bid where call_id='$RUSH_CALL'"
case "$DB" in
  sqlite) python3 -c "import sqlite3,sys; print(*sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone())" "$WORK/bench.db" "$SQL" > "$WORK/stored.txt" ;;
  postgres) psql "$URL" -At -F' ' -c "$SQL" > "$WORK/stored.txt" ;;
esac
awk '/VmHWM/ {print $2}' "/proc/$PID/status" > "$WORK/rss.txt"

python3 - "$WORK" "$DB" "$CALLS" "$T" "$C" <<'PY'
import json, sys
work, db, calls, t, c = sys.argv[1:]
r = {k: json.load(open(f"{work}/{k}.json")) for k in ["floor", "public-list", "call-detail", "deadline-rush"]}
bids, versions = map(int, open(f"{work}/stored.txt").read().split())
rush = r["deadline-rush"]
# wrk stops counting at the deadline of the run; submissions in flight then are stored but
# not counted as acknowledged, so stored may exceed acknowledged by at most the connections.
rush.update(stored_bids=bids, stored_submissions=versions, lost=max(0, rush["acknowledged"] - versions),
            in_flight_at_end=versions - rush["acknowledged"])
rss = int(open(f"{work}/rss.txt").read())
out = {"database": db, "calls": int(calls), "seconds": int(t), "connections": int(c),
       "peak_rss_mib": round(rss / 1024, 1),
       "public_list_vs_floor": round(r["public-list"]["rps"] / r["floor"]["rps"], 3), "scenarios": r}
print(f"{'scenario':<14} {'req/s':>10} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}")
for k, v in r.items():
    print(f"{k:<14} {v['rps']:>10.1f} {v['p50_ms']:>8.2f} {v['p90_ms']:>8.2f} {v['p99_ms']:>8.2f}")
print(f"public-list / floor throughput: {out['public_list_vs_floor']}")
print(f"deadline rush: acknowledged {rush['acknowledged']}, stored submissions {versions} in {bids} bids "
      f"(one per provider), lost {rush['lost']}, in flight when wrk stopped {rush['in_flight_at_end']}")
print(f"server peak RSS: {out['peak_rss_mib']} MiB")
json.dump(out, open(f"bench/results-{db}.json", "w"), indent=2)
print(f"JSON: bench/results-{db}.json")
PY
