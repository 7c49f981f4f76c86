#!/usr/bin/env bash
# The demo: the whole pipeline on the local stack. Starts the AWS emulator
# and the fixture Instagram (or uses a real account when IG_USER_ID and
# IG_ACCESS_TOKEN are set), creates the resources, runs one sync, drains
# the mirror queue, imports two guest photos, prints what was stored, and
# serves the gallery until Ctrl-C. Everything it started stops with it.
#
#   scripts/demo.sh           serve until Ctrl-C
#   scripts/demo.sh --check   fetch the gallery page once, then stop (used by the tests)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

check=false
[ "${1:-}" = "--check" ] && check=true

./scripts/setup.sh
echo "[demo] building galleon (the first build takes a few minutes)" >&2
cargo build -q -p galleon-cli -p galleon-fixture
bin=${CARGO_TARGET_DIR:-target}/debug

mkdir -p .local
start_moto .local/demo-moto.log
export GALLEON_TABLE=galleon-demo GALLEON_BUCKET=galleon-demo-media
export GALLEON_QUEUE_URL=$AWS_ENDPOINT_URL/123456789012/galleon-demo-mirror
export GALLEON_DLQ_URL=$AWS_ENDPOINT_URL/123456789012/galleon-demo-mirror-dlq

fixture=false
if [ -n "${IG_USER_ID:-}" ] && [ -n "${IG_ACCESS_TOKEN:-}" ]; then
  echo "[demo] syncing the real account $IG_USER_ID" >&2
  export GALLEON_TIMEZONE=${GALLEON_TIMEZONE:-UTC}
  demo_date=${DEMO_DATE:-$(date -u +%F)}
else
  fixture=true
  port=$(free_port)
  "$bin/galleon-fixture" --addr "127.0.0.1:$port" >.local/fixture.env 2>.local/fixture.log &
  trap_add "kill $! 2>/dev/null || true"
  wait_http "http://127.0.0.1:$port/_fixture/stats"
  set -a; source .local/fixture.env; set +a
  # The fixture account's evenings are in New York; its CDN is the fixture.
  export GALLEON_TIMEZONE=America/New_York
  export GALLEON_MEDIA_HOSTS=cdninstagram.com,fbcdn.net,127.0.0.1
  demo_date=2026-04-29
fi

# Per-message logs stay in the Lambda; the demo shows the summaries.
export RUST_LOG=${RUST_LOG:-warn}
galleon() { "$bin/galleon" "$@"; }
echo "[demo] creating the local resources" >&2
galleon local init >/dev/null
echo "[demo] one ingest tick" >&2
galleon sync
echo "[demo] draining the mirror queue" >&2
galleon mirror --drain
if $fixture; then
  echo "[demo] a named event and two approved guest photos" >&2
  galleon events put closing-night --title "Closing night cruise" \
    --start 2026-04-29T18:00:00-04:00 --end 2026-04-30T01:00:00-04:00
  galleon guest import --event "$demo_date" --approve \
    fixture/photos/phone-chelsea.jpg fixture/photos/phone-hubble.jpg
fi
echo
galleon status

addr=127.0.0.1:${GALLEON_DEMO_PORT:-$(free_port)}
"$bin/galleon" serve --addr "$addr" 2>.local/serve.log &
serve_pid=$!
trap_add "kill $serve_pid 2>/dev/null || true"
wait_http "http://$addr/api/openapi.json"
echo
echo "Gallery: http://$addr/g/$demo_date"
$fixture && echo "Named event: http://$addr/g/closing-night"

if $check; then
  page=$(curl -fsS "http://$addr/g/$demo_date")
  images=$(grep -o '<img ' <<<"$page" | wc -l)
  [ "$images" -gt 0 ] || { echo "[demo] the gallery page shows no images" >&2; exit 1; }
  echo "[demo] check passed: the gallery page shows $images images"
else
  echo "Serving until Ctrl-C."
  wait "$serve_pid"
fi
