#!/usr/bin/env bash
# Documents under load (issue 18): the upload and download throughput of one 25 MiB file, and
# the server's peak RSS while 8 different 25 MiB files are uploaded at once. Starts the release
# server on a fresh database, signs a provider up through the API, sends each file as the
# GraphQL multipart request the portal sends, and reads the download back byte for byte.
#
#   bench/documents.sh [sqlite|postgres] [rounds]
#
# The peak RSS is the kernel's high-water mark (VmHWM): reset (clear_refs 5) after the
# single-file rounds, then read once the 8 concurrent uploads are done. NO_BUILD=1 uses the
# release binary as it is. Needs curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-sqlite}
ROUNDS=${2:-3}
MIB=25
CONCURRENT=8

[ -n "${NO_BUILD:-}" ] || cargo build --release -p api >/dev/null 2>&1 || cargo build --release -p api
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
PGBASE=postgres://postgres@127.0.0.1:5432
case "$DB" in
  sqlite) URL="sqlite://$WORK/bench.db?mode=rwc" ;;
  postgres) PGDB="kt_docs_$$"; psql "$PGBASE/postgres" -q -c "CREATE DATABASE $PGDB"; URL="$PGBASE/$PGDB" ;;
  *) echo "database: sqlite or postgres"; exit 2 ;;
esac
cleanup() {
  [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "${PGDB:-}" ] && psql "$PGBASE/postgres" -q -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

DATABASE_URL="$URL" BIND="127.0.0.1:$PORT" PUBLIC_URL="$BASE" JWT_SECRET=bench-secret MAIL_DIR="$WORK/mail" RUST_LOG=warn \
  target/release/api > "$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
kib() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$PID/status"; }

# A provider's token (a valid business ID: mod-11 check digit).
TOKEN=$(python3 - "$BASE/graphql" <<'PY'
import json, sys, urllib.request
def business_id(n):
    body = f"{n % 10_000_000:07d}"
    r = sum(int(d) * w for d, w in zip(body, [7, 9, 10, 5, 8, 4, 2])) % 11
    return None if r == 1 else f"{body}-{0 if r == 0 else 11 - r}"
n = next(n for n in range(1234560, 1234600) if business_id(n))
q = "mutation($i: RegisterProviderInput!) { registerProvider(input: $i) { token } }"
i = {"organizationName": "Bench Docs Oy", "businessId": business_id(n), "email": "docs@bench.example.fi",
     "password": "bench-password-1", "name": "Bench"}
req = urllib.request.Request(sys.argv[1], json.dumps({"query": q, "variables": {"i": i}}).encode(),
                             {"content-type": "application/json"})
print(json.load(urllib.request.urlopen(req))["data"]["registerProvider"]["token"])
PY
)

# Files of 25 MiB that are PDFs by their first bytes and random after: nothing to deduplicate
# between them, nothing to compress.
make_file() { { printf '%%PDF-1.7\n'; head -c $((MIB * 1024 * 1024 - 9)) /dev/urandom; } > "$1"; }
OPS='{"query":"mutation($f: Upload!) { uploadDocument(file: $f) { id size sha256 } }","variables":{"f":null}}'
upload() { # file, answer file; prints seconds
  curl -s -o "$2" -w '%{time_total}' -H "Authorization: Bearer $TOKEN" \
    -F "operations=$OPS" -F 'map={"0":["variables.f"]}' -F "0=@$1;type=application/pdf" "$BASE/graphql"
}
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['data']['uploadDocument'][sys.argv[2]])" "$1" "$2"; }
rate() { python3 -c "print(f'{$MIB / $1:.1f}')"; }

echo "== $DB: release server pid $PID, $MIB MiB files, $ROUNDS rounds"
for r in $(seq 1 "$ROUNDS"); do
  make_file "$WORK/one.pdf"
  up=$(upload "$WORK/one.pdf" "$WORK/one.json")
  id=$(field "$WORK/one.json" id)
  [ "$(field "$WORK/one.json" sha256)" = "$(sha256sum "$WORK/one.pdf" | cut -d' ' -f1)" ] || { echo "stored hash differs"; exit 1; }
  down=$(curl -s -o "$WORK/back.pdf" -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "$BASE/documents/$id")
  cmp -s "$WORK/one.pdf" "$WORK/back.pdf" || { echo "downloaded content differs"; exit 1; }
  echo "   round $r: upload ${up} s ($(rate "$up") MiB/s), download ${down} s ($(rate "$down") MiB/s)"
done
echo "   RSS after the single uploads: $(kib VmRSS) KiB (peak so far $(kib VmHWM) KiB)"

for i in $(seq 1 "$CONCURRENT"); do make_file "$WORK/c$i.pdf"; done
echo 5 > "/proc/$PID/clear_refs"
echo "   RSS before $CONCURRENT concurrent uploads: $(kib VmRSS) KiB (peak reset to $(kib VmHWM) KiB)"
start=$(date +%s.%N)
pids=()
for i in $(seq 1 "$CONCURRENT"); do upload "$WORK/c$i.pdf" "$WORK/c$i.json" > "$WORK/c$i.time" & pids+=($!); done
wait "${pids[@]}"
for i in $(seq 1 "$CONCURRENT"); do
  [ "$(field "$WORK/c$i.json" size)" = $((MIB * 1024 * 1024)) ] || { echo "upload $i failed: $(cat "$WORK/c$i.json")"; exit 1; }
done
total=$(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')")
echo "   $CONCURRENT concurrent uploads: all stored in ${total} s ($(python3 -c "print(f'{$CONCURRENT * $MIB / $total:.1f}')") MiB/s together)"
echo "   peak RSS during them: $(kib VmHWM) KiB ($(python3 -c "print(f'{$(kib VmHWM) / 1024:.1f}')") MiB); RSS after: $(kib VmRSS) KiB"
