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
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime" SWITCHBOARD_TEST_KEYRING=1
# The keyring is created on first unlock with this throwaway password; a new folder each run means it is never stale.
# (Not exec: the trap must remove the scratch folder afterwards.)
dbus-run-session -- bash -c 'printf "switchboard-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' keyring-session "$@" 2> >(grep -v "Failed to set fd limit" >&2)
