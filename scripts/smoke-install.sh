#!/usr/bin/env bash
# Proves the install story on this machine: `npm run demo` starts and stops without a D-Bus session or keychain, and the
# package installs with `npm install -g` as a `switchboard` command that runs the README's examples (serve, clients add,
# status, stdio). Run after `npm ci`; .ci/run runs it before the keychain and D-Bus packages are installed.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-smoke.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT
fail() { echo "smoke-install: $*" >&2; exit 1; }

# Waits until $2 holds a line starting with $3, for at most $1 seconds.
wait_for_line() {
  local seconds=$1 file=$2 prefix=$3
  for _ in $(seq 1 $((seconds * 10))); do
    grep -q "^$prefix" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# No keychain for anything below: no session bus, no runtime folder with one.
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
export XDG_RUNTIME_DIR="$scratch/runtime"
mkdir -m 700 "$scratch/runtime"

echo "smoke-install: native modules link no libsecret"
if find node_modules -name '*.node' -print0 | xargs -0 -r ldd 2>/dev/null | grep -q libsecret; then fail "a native module links libsecret"; fi
[ ! -e node_modules/keytar ] || fail "keytar is installed"

echo "smoke-install: npm run demo without a keychain"
npm run --silent demo -- --headless >"$scratch/demo.out" 2>"$scratch/demo.err" &
demo=$!
pids+=("$demo")
wait_for_line 120 "$scratch/demo.out" '{"event":"demo-ready"' || { cat "$scratch/demo.err" >&2; fail "the demo did not get ready"; }
grep -q '"secrets":"in-memory"' "$scratch/demo.out" || fail "the demo did not say its secrets are in memory"
kill -INT "$demo"
status=0
wait "$demo" || status=$?
[ "$status" -eq 0 ] || { cat "$scratch/demo.err" >&2; fail "the demo exited $status on SIGINT"; }

echo "smoke-install: npm pack, then npm install -g into a prefix of its own"
npm pack --silent --pack-destination "$scratch" >/dev/null
npm install -g --prefix "$scratch/global" --no-audit --no-fund "$scratch"/switchboard-*.tgz >/dev/null
export PATH="$scratch/global/bin:$PATH"
[ "$(command -v switchboard)" = "$scratch/global/bin/switchboard" ] || fail "switchboard is not on PATH after npm install -g"
# Run from elsewhere, as a person would: nothing may depend on the checkout.
cd "$scratch"
switchboard --version >/dev/null
switchboard completion bash >"$scratch/completion.bash"
grep -q '^complete .* switchboard$' "$scratch/completion.bash" || fail "switchboard completion bash printed no completion"

echo '{"servers":[]}' >"$scratch/config.json"
data="$scratch/data"
export SWITCHBOARD_KEYCHAIN=memory
credential=$(switchboard clients add smoke --data-dir "$data" --json | sed -n 's/.*"credential":"\([^"]*\)".*/\1/p')
[ -n "$credential" ] || fail "clients add printed no credential"
switchboard serve --config "$scratch/config.json" --data-dir "$data" >"$scratch/serve.out" 2>"$scratch/serve.err" &
pids+=("$!")
wait_for_line 30 "$scratch/serve.out" '{"event":"ready"' || { cat "$scratch/serve.err" >&2; fail "serve did not get ready"; }
switchboard status --data-dir "$data" --json | grep -q '"mcpUrl":"http://127.0.0.1' || fail "status did not find the running serve"
# The README's Claude Desktop entry: "command": "switchboard", "args": ["stdio"], the credential in the environment.
reply=$(printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"smoke","version":"1"}}}' |
  SWITCHBOARD_CLIENT_CREDENTIAL="$credential" timeout 20 switchboard stdio --data-dir "$data" | head -n 1)
echo "$reply" | grep -q '"serverInfo"' || fail "switchboard stdio did not answer initialize (got: $reply)"
echo "smoke-install: ok"
