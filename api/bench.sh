#!/usr/bin/env bash
# The read API's benchmark: prints figures, asserts nothing.
#
#  1. The photos route for a 100-item page under wrk on loopback: one
#     connection (latency, comparable with the floor) and eight (rate).
#  2. The floor under it: the same one-page Query against the same
#     emulator with no HTTP in between, timed in alternation with the
#     route so that both see the same load (examples/query_floor.rs).
#  3. The handler's own CPU time per page without I/O: criterion rendering
#     100 items as JSON and as HTML (benches/page.rs).
#
# Starts its own emulator. Usage: api/bench.sh [SECONDS per wrk run]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/lib.sh

secs=${1:-15}
say() { printf '[api/bench] %s\n' "$*" >&2; }

say "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
say "building the examples (release)"
cargo build -q --release -p galleon-api --example serve_seeded --example query_floor
target=${CARGO_TARGET_DIR:-$root/target}/release/examples

work=$(mktemp -d)
trap_add "rm -rf $work"
start_moto "$work/moto.log"

say "seeding 120 items and serving them"
RUST_LOG=warn "$target/serve_seeded" --items 120 >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
trap_add "kill $server_pid 2>/dev/null || true"
for _ in $(seq 1 300); do
  grep -q '^table=' "$work/server.out" 2>/dev/null && break
  sleep 0.2
done
url=$(sed -n 's/^url=//p' "$work/server.out")
table=$(sed -n 's/^table=//p' "$work/server.out")
[ -n "$table" ] || { cat "$work/server.log" >&2; exit 1; }
route="$url/api/events/2026-04-29/photos?limit=100"
items=$(curl -fsS "$route" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
bytes=$(curl -fsS "$route" | wc -c)
say "route: $route ($items items, $bytes bytes)"

for _ in $(seq 1 20); do curl -fsS -o /dev/null "$route"; done
say "wrk: 1 connection, ${secs}s"
wrk -t1 -c1 -d"${secs}s" --latency "$route" | sed -n '/Latency Distribution/,/Requests\/sec/p'
say "wrk: 8 connections, ${secs}s"
wrk -t2 -c8 -d"${secs}s" --latency "$route" | sed -n '/Latency Distribution/,/Requests\/sec/p'

say "the floor: the same Query without HTTP, alternating with the route"
"$target/query_floor" --table "$table" --limit 100 --n 500 --route "$route"

say "criterion: rendering one 100-item page without I/O"
cargo bench -q -p galleon-api --bench page -- --noplot 2>/dev/null \
  | grep -E '^(json|html) page|time:'
