#!/usr/bin/env bash
# Installs everything galleon's demo, tests and benchmarks need on a fresh
# machine, and nothing twice: Debian packages, the project's Python
# virtualenv (moto's server, cargo-lambda, the template linters,
# schemathesis) and the npm packages of the CDK app and the browser test.
# Safe to run again; each step skips itself when its work is already done.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

say() { printf '[setup] %s\n' "$*" >&2; }

apt_packages=(chromium wrk)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi

venv=$root/.venv
stamp=$venv/.installed-$(sha256sum scripts/requirements.txt | cut -c1-16)
if [ ! -f "$stamp" ]; then
  say "creating the Python virtualenv in .venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check --upgrade pip
  "$venv/bin/pip" install -q --disable-pip-version-check -r scripts/requirements.txt
  touch "$stamp"
fi

for dir in cdk api/tests/browser; do
  if [ -f "$dir/package-lock.json" ] && [ ! -d "$dir/node_modules" ]; then
    say "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
say "ready"
