#!/bin/sh
# Install the Debian 12 packages libbackoffice needs to build and test, and
# only those that are missing. Run as root (or with sudo available).
set -eu

PKGS="build-essential cmake ninja-build pkg-config
libsqlite3-dev libyaml-dev libssl-dev libjansson-dev libsodium-dev libzip-dev check
libmicrohttpd-dev
libcairo2-dev libpango1.0-dev libzint-dev fonts-dejavu-core
libxml2-dev libical-dev libxlsxwriter-dev
swig python3 python3-dev python3-pytest liblua5.4-dev lua5.4 lua-unit
postgresql libpq-dev"
if [ "${1:-}" = "--test" ]; then
    PKGS="$PKGS sqlite3 valgrind clang libclang-rt-14-dev abigail-tools gcovr python3-mypy
          python3-jsonschema poppler-utils zbar-tools
          libxml2-utils chromium gnucash python3-gnucash libdbd-sqlite3
          ledger hledger beancount"
fi

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing:$missing" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
