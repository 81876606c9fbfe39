#!/usr/bin/env bash
# Installs every Debian package chokepoint needs to build, test and benchmark. Idempotent:
# packages already present are not reinstalled, and apt-get update runs only when needed.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config
  libboost-graph-dev libyaml-cpp-dev libyaml-dev libgraphviz-dev graphviz libfmt-dev
  libcli11-dev nlohmann-json3-dev libeigen3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-yaml python3-networkx python3-jsonschema time bc
  help2man dpkg-dev file man-db gnuplot-nox libssl-dev
  fonts-liberation2
  chromium
  lintian debootstrap
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
