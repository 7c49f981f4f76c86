#!/usr/bin/env bash
# Checks the CDK app offline: type check, assertion tests, a synth with
# cdk-nag (placeholder Lambda assets, no credentials), then cfn-lint and
# checkov on the synthesised template. Exits non-zero on the first failure.
set -euo pipefail

CDK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$CDK_DIR")"
VENV="$ROOT/.venv/bin"
OUT="$(mktemp -d "${TMPDIR:-/tmp}/galleon-cdk.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT

# No telemetry, notices or version checks: the checks make no network calls.
export CDK_DISABLE_CLI_TELEMETRY=1 CDK_DISABLE_VERSION_CHECK=1

step() { printf '\n== cdk: %s\n' "$*"; }

cd "$CDK_DIR"

for tool in cfn-lint checkov; do
  if [[ ! -x "$VENV/$tool" ]]; then
    echo "cdk: $VENV/$tool is missing; run scripts/setup.sh first" >&2
    exit 1
  fi
done

if [[ ! -d node_modules ]]; then
  step "npm ci"
  npm ci --no-audit --no-fund
fi

step "type check"
npx tsc --noEmit -p .
echo "types ok"

step "assertion tests"
npm test --silent | tee "$OUT/tests.tap"
passed="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$OUT/tests.tap")"
failed="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$OUT/tests.tap")"

step "synth with cdk-nag (placeholder assets) into $OUT/cdk.out"
npx cdk synth -q --no-notices -o "$OUT/cdk.out" \
  -c igUserId=17841400000000000 \
  -c alarmEmail=alarms@example.org \
  -c lambdaAssetDir=test/fixtures/lambda
TEMPLATE="$OUT/cdk.out/Galleon.template.json"
echo "synth ok, cdk-nag AwsSolutions: no unacknowledged findings"

step "cfn-lint (W3005 ignored: CDK templates always raise it)"
"$VENV/cfn-lint" --ignore-checks W3005 -- "$TEMPLATE"
echo "cfn-lint ok"

step "checkov"
"$VENV/checkov" --file "$TEMPLATE" --framework cloudformation \
  --skip-download --compact --quiet
echo "checkov ok"

step "all checks passed"
echo "cdk: ${passed} passed, ${failed} failed"
