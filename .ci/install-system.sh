#!/bin/sh
# Installs the system packages that the end-to-end tests need: Debian's Chromium, which runs
# the Godot web export template. Safe to run again; it does nothing when Chromium is present.
# Needs root (apt-get).
set -eu

if [ -x /usr/bin/chromium ]; then
  echo "install-system: /usr/bin/chromium is present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-system: /usr/bin/chromium is missing; run this script as root to install it" >&2
  exit 1
fi

echo "install-system: installing chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y chromium
test -x /usr/bin/chromium
echo "install-system: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
