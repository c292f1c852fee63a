#!/usr/bin/env bash
# Runs a command inside its own D-Bus session with an unlocked gnome-keyring (a real Secret
# Service), under a throwaway HOME, and stops the keyring daemon when the command ends.
#   scripts/with-keyring.sh <command> [args...]
# KEYRING_HOME=<dir> keeps a given HOME (not removed afterwards); KEYRING_PASSWORD sets the
# keyring password. A fresh HOME matters: a wrong password on an existing keyring makes
# gnome-keyring try a GUI prompt. Needs: dbus (dbus-run-session, dbus-send), gnome-keyring.
set -euo pipefail
if [ "$#" -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || {
    echo "$0: $tool not found (apt-get install dbus dbus-x11 gnome-keyring)" >&2
    exit 127
  }
done

if [ -n "${KEYRING_HOME:-}" ]; then
  export HOME="$KEYRING_HOME"
  throwaway=""
else
  export HOME="$(mktemp -d "${TMPDIR:-/tmp}/kr-home.XXXXXX")"
  throwaway="$HOME"
fi
export XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache" XDG_CONFIG_HOME="$HOME/.config"
export XDG_RUNTIME_DIR="$HOME/run"
mkdir -p "$XDG_DATA_HOME" && install -d -m 700 "$XDG_RUNTIME_DIR"

status=0
dbus-run-session -- bash -c '
  # Foreground, as a child of this shell: the daemonized form outlives the bus.
  printf %s "${KEYRING_PASSWORD:-test-password}" |
    gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
  gkd=$!
  trap "kill $gkd 2>/dev/null; wait $gkd 2>/dev/null" EXIT
  ready=0
  for _ in $(seq 100); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; then
      ready=1
      break
    fi
    sleep 0.1
  done
  [ "$ready" = 1 ] || echo "with-keyring: the Secret Service did not come up within 10 s" >&2
  "$@"' _ "$@" || status=$?

if [ -n "$throwaway" ]; then rm -rf -- "$throwaway"; fi
exit "$status"
