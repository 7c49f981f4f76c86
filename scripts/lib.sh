# Shared shell helpers for galleon's scripts: starting and stopping the
# local AWS emulator. Sourced, not run.

# A free TCP port on the loopback interface.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until an HTTP endpoint answers, or fails after about 30 s.
wait_http() {
  local url=$1 tries=150
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    ((tries--)) || { echo "no answer from $url" >&2; return 1; }
    sleep 0.2
  done
}

# Starts moto's server on a free port (or $MOTO_PORT), points the AWS SDK at
# it through the standard variables, and stops it when the calling shell
# exits. Logs go to $1 (default .local/moto.log).
start_moto() {
  local log=${1:-.local/moto.log} port=${MOTO_PORT:-$(free_port)}
  mkdir -p "$(dirname "$log")"
  .venv/bin/moto_server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  MOTO_PID=$!
  trap_add "kill $MOTO_PID 2>/dev/null || true"
  export AWS_ENDPOINT_URL=http://127.0.0.1:$port
  export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local
  wait_http "$AWS_ENDPOINT_URL/moto-api/"
}

# Adds a command to the EXIT trap without dropping the ones before it.
trap_add() {
  local old
  old=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
  trap "$1${old:+; $old}" EXIT
}
