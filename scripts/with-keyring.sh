#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a fresh, unlocked gnome-keyring, so keychain tests use a real
# Secret Service and never touch (or get locked out by) the person's own keyring. `npm test` runs through it.
set -euo pipefail
if [ "${SWITCHBOARD_TEST_KEYRING:-}" = "1" ]; then exec "$@"; fi
# macOS and Windows have their keychain without a session bus; there is nothing to set up.
if [ "$(uname -s)" != "Linux" ]; then exec "$@"; fi
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-keyring: $tool is missing; the tests need a private Secret Service (Debian/Ubuntu: sudo apt-get install dbus gnome-keyring)" >&2
    exit 1
  fi
done
scratch=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-keyring.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/data" "$scratch/runtime"
chmod 700 "$scratch/runtime"
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime" SWITCHBOARD_TEST_KEYRING=1 WITH_KEYRING_PID_FILE="$scratch/command.pid"
# The keyring is created on first unlock with this throwaway password; a new folder each run means it is never stale.
# The session runs in its own process session (setsid): a Ctrl-C at the terminal then reaches this script alone, which
# passes it on once, to the command only. Were the D-Bus daemon to get it too, the keychain would vanish under the
# command while it stops; were dbus-run-session to get it, it would die without ending its daemon. When the command
# exits, dbus-run-session ends the bus, and gnome-keyring-daemon exits with it.
# (Not exec: the trap must remove the scratch folder afterwards. "<&0": a background job would otherwise read /dev/null.)
setsid dbus-run-session -- bash -c 'printf "switchboard-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && echo $$ >"$WITH_KEYRING_PID_FILE" && exec "$@"' keyring-session "$@" <&0 2> >(grep -v "Failed to set fd limit" >&2) &
session=$!
forward() {
  local command_pid
  command_pid=$(cat "$scratch/command.pid" 2>/dev/null || true)
  if [ -n "$command_pid" ]; then
    kill -s "$1" "$command_pid" 2>/dev/null || true
  else
    # Still starting the keyring: nothing needs a graceful stop yet, so the whole session goes.
    kill -s TERM -- "-$session" 2>/dev/null || true
  fi
}
trap 'forward INT' INT
trap 'forward TERM' TERM
trap 'forward HUP' HUP
# wait returns early whenever a trapped signal arrives; keep waiting until the session itself has ended.
while kill -0 "$session" 2>/dev/null; do
  wait "$session" || true
done
set +e
wait "$session"
status=$?
exit "$status"
