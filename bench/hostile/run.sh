#!/usr/bin/env bash
# The hostile-input figures of issue 14 (BENCH.md, "Hostile input"): a release server on a
# fresh SQLite file, 120 calls with 20 000-character descriptions, then each probe. CPU is the
# server's utime + stime around each request (/proc/PID/stat), memory its VmHWM / VmRSS.
set -euo pipefail
cd "$(dirname "$0")"
W=/tmp/kt-hostile; rm -rf "$W"; mkdir -p "$W"
export API_PID_FILE="$W/pid"
cargo build --release -p api
start() {
  DATABASE_URL="sqlite://$W/h.db?mode=rwc" BIND=127.0.0.1:18431 MAIL_DIR="$W/mail" \
    ADMIN_EMAIL=admin@kunta.example.fi ADMIN_PASSWORD=admin-password-1 \
    ../../target/release/api > "$W/server.log" 2>&1 & echo $! > "$W/pid"
  for _ in $(seq 1 50); do curl -sf 127.0.0.1:18431/healthz >/dev/null && return; sleep 0.2; done
}
start
python3 seed_long.py http://127.0.0.1:18431/graphql admin@kunta.example.fi admin-password-1 120 4 "$W/state.json"
python3 battery.py; python3 b2.py; python3 big.py
kill "$(cat "$W/pid")"; sleep 1; start
python3 rss.py 1000
python3 drip.py
kill "$(cat "$W/pid")"
