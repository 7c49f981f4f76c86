#!/usr/bin/env bash
# The mirror's image path against sharp (libvips), one core each:
# throughput on the nine 1080-wide photos and on a 12-megapixel photo, peak
# memory for the 12-megapixel photo, and the bytes of the variants.
# Prints a table for BENCHMARKS.md.
#
#   bench/run.sh            # ITERATIONS=10 REPEATS=3 CORE=0 by default
#
# Each throughput figure is the best of REPEATS runs (the machine may be
# shared; the best run is the least disturbed one). Needs node, npm, cargo, taskset
# and GNU time (/usr/bin/time).
set -euo pipefail

cd "$(dirname "$0")/.."
ITERATIONS=${ITERATIONS:-10}
REPEATS=${REPEATS:-3}
CORE=${CORE:-0}
PHOTOS=(fixture/photos/portrait-*.jpg fixture/photos/square-*.jpg fixture/photos/landscape-*.jpg)
PHONE=fixture/photos/phone-chelsea.jpg

cargo build --release -p galleon-mirror --example process
OURS="${CARGO_TARGET_DIR:-target}/release/examples/process"
[ -d bench/node_modules ] || (cd bench && npm ci --no-audit --no-fund)
export UV_THREADPOOL_SIZE=1

ours() { taskset -c "$CORE" "$OURS" "$@"; }
sharp() { taskset -c "$CORE" node bench/sharp.mjs "$@"; }

# The value of KEY in the key=value line a run prints last.
field() { tail -n 1 | tr ' ' '\n' | sed -n "s/^$1=//p"; }

max() { echo "$1 $2" | awk '{ print ($1 > $2) ? $1 : $2 }'; }

# "OURS SHARP": the best images/s of REPEATS runs of each on ARGS. The two
# alternate, so that a disturbance from other work hits both alike.
best_rates() {
  local best_ours=0 best_sharp=0
  for _ in $(seq "$REPEATS"); do
    best_ours=$(max "$(ours "$@" | field images_per_second)" "$best_ours")
    best_sharp=$(max "$(sharp "$@" | field images_per_second)" "$best_sharp")
  done
  echo "$best_ours $best_sharp"
}

# Peak resident memory, in MB, of one run of COMMAND.
peak_mb() {
  local log
  log=$(mktemp)
  /usr/bin/time -f '%M' -o "$log" taskset -c "$CORE" "$@" >/dev/null
  awk '{ printf "%.0f", $1 / 1024 }' "$log"
  rm -f "$log"
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
echo "iterations: $ITERATIONS, best of $REPEATS, pinned to core $CORE"

read -r ours_1080 sharp_1080 < <(best_rates -n "$ITERATIONS" "${PHOTOS[@]}")
read -r ours_12mp sharp_12mp < <(best_rates -n "$ITERATIONS" "$PHONE")
ours_peak=$(peak_mb "$OURS" -n 1 "$PHONE")
sharp_peak=$(peak_mb node bench/sharp.mjs -n 1 "$PHONE")
node_idle=$(peak_mb node -e "require('./bench/node_modules/sharp')")
ours_bytes=$(ours -n 1 "${PHOTOS[@]}" | field variant_bytes)
sharp_bytes=$(sharp -n 1 "${PHOTOS[@]}" | field variant_bytes)
echo
echo "| measure | ours | sharp |"
echo "| --- | ---: | ---: |"
echo "| images/s, nine 1080-wide photos | $ours_1080 | $sharp_1080 |"
echo "| images/s, 12 MP photo | $ours_12mp | $sharp_12mp |"
echo "| peak RSS MB, 12 MP photo | $ours_peak | $sharp_peak (node with sharp loaded, idle: $node_idle) |"
echo "| variant bytes, nine photos | $ours_bytes | $sharp_bytes |"
