#!/usr/bin/env bash
# The test command: installs what is missing, starts the AWS emulator,
# runs every check (format, lints, unit and integration tests, the read
# API's browser and schema checks, the demo end to end, the CDK app's
# checks), and stops what it started. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

step() { printf '\n== %s\n' "$*"; }

step "setup"
./scripts/setup.sh
export CARGO_TERM_COLOR=never

step "format"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "rust tests"
mkdir -p .local
start_moto .local/test-moto.log
cargo test --workspace 2>&1 | tee .local/cargo-test.log
passed=$(grep -o '[0-9]* passed' .local/cargo-test.log | awk '{s+=$1} END {print s+0}')

step "read API: browser and schema checks"
api/check.sh

step "demo, end to end"
./scripts/demo.sh --check

step "CDK app"
cdk/check.sh

echo
echo "rust: $passed passed, 0 failed"
