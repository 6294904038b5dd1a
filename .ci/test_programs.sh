#!/usr/bin/env bash
# `make test` drives real programs from Debian's packages: Chromium (browser and
# accessibility tests), newsboat (feed reader test), w3m (feed items as text), rsync
# (deploy test) and nginx (the docs' server block serving a built site). Install the missing ones with apt-get, as root or through sudo when it needs no password; otherwise
# say exactly what to install. The tests themselves fail, never skip, without them.
set -euo pipefail

missing=()
for program in chromium newsboat w3m rsync nginx; do
  command -v "$program" >/dev/null || [ -x "/usr/sbin/$program" ] || missing+=("$program")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  apt=(apt-get)
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  apt=(sudo apt-get)
else
  echo "make test needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} for the browser, feed reader and deploy tests..."
"${apt[@]}" update -q
DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -q "${missing[@]}"
