#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a fresh, unlocked gnome-keyring, so keychain tests use a real
# Secret Service and never touch (or get locked out by) the person's own keyring.
set -euo pipefail
scratch=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-keyring.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/data" "$scratch/runtime"
chmod 700 "$scratch/runtime"
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime"
# The keyring is created on first unlock with this throwaway password; a new folder each run means it is never stale.
exec dbus-run-session -- bash -c 'printf "switchboard-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' keyring-session "$@"
