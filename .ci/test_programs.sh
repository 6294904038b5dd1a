#!/usr/bin/env bash
# `make test` drives real programs from Debian's packages: Chromium (browser and
# accessibility tests), newsboat (feed reader test), w3m (feed items as text), rsync
# (deploy test), nginx (the docs' server block serving a built site), and WordPress with PHP
# and MariaDB (the peer blog of the linkback test, tests/wordpress.py). Install the missing
# ones with apt-get, as root or through sudo when it needs no password; otherwise say
# exactly what to install. The tests themselves fail, never skip, without them.
set -euo pipefail

missing=()
for program in chromium newsboat w3m rsync nginx; do
  command -v "$program" >/dev/null || [ -x "/usr/sbin/$program" ] || missing+=("$program")
done
# php-xml is only suggested by wordpress, but without it xmlrpc.php cannot answer a
# pingback. These are packages, not programs: dpkg says whether each is installed.
for package in wordpress php-cli php-mysql php-xml mariadb-server; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null)" = installed ] ||
    missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  apt=(apt-get)
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  apt=(sudo apt-get)
  sudo=(sudo)
else
  echo "make test needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
# mariadb-server and apache2 (which wordpress pulls in) start their services when
# installed, unless policy-rc.d says no: the tests start their own MariaDB, on a socket.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
  "${sudo[@]}" chmod +x /usr/sbin/policy-rc.d
  trap '"${sudo[@]}" rm -f /usr/sbin/policy-rc.d' EXIT
fi
echo "Installing ${missing[*]} for the browser, feed reader, deploy and WordPress tests..."
"${apt[@]}" update -q
DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -q "${missing[@]}"
