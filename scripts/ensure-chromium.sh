#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the end-to-end tests and benchmarks (`npm test`
# and CI run this first). playwright-core drives it through executablePath; we never download a
# browser build. Prints nothing when Chromium is already there.
set -euo pipefail

CHROMIUM="${ATOMA_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  cat >&2 <<MSG
Chromium is missing ($CHROMIUM) and this script is not running as root, so it cannot install it.
Install Debian's package yourself:  sudo apt-get update && sudo apt-get install -y chromium
or point ATOMA_CHROMIUM at an existing Chromium/Chrome binary.
MSG
  exit 1
fi

echo "Installing Debian's chromium (needed by the end-to-end tests)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null

# Debian's /usr/bin/chromium is a sh wrapper that sources /etc/chromium.d/*. Its dev-shm check
# compares `findmnt -T /dev/shm`, which prints one line per mount: where /dev/shm is mounted twice
# (some containers) that test prints "[: …: unexpected operator". The version comes from the
# browser binary itself, which needs none of the wrapper's flags.
VERSION_OF="$CHROMIUM"
if [ "$CHROMIUM" = /usr/bin/chromium ] && [ -x /usr/lib/chromium/chromium ]; then
  VERSION_OF=/usr/lib/chromium/chromium
fi
"$VERSION_OF" --version
