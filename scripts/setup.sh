#!/usr/bin/env bash
# Installs what building and testing Ablate needs, when it is missing: the C libraries from apt (libcurl
# because FlyingFox, the dashboard's HTTP server, links FoundationNetworking, which a static build links
# against libcurl).
# Idempotent; safe to run on every build. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(libsqlite3-dev libgit2-dev pkg-config libcurl4-openssl-dev)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
    "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "setup: 'swift' is not on PATH; install Swift 6 (https://swift.org/install)" >&2; exit 1; }
