#!/usr/bin/env bash
# Installs every Debian 12 package the build, the tests and the local demo need.
# Idempotent: only missing packages are installed. Run as root (or with sudo).
set -euo pipefail

BUILD_PKGS=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost-dev libboost-filesystem-dev libboost-system-dev
  libcurl4-openssl-dev libssl-dev rapidjson-dev libyaml-cpp-dev libgit2-dev
  libspdlog-dev libfmt-dev libre2-dev libcli11-dev libgtest-dev libgmock-dev
  libsqlite3-dev libicu-dev libyaml-dev libgpgme-dev libnghttp2-dev
)
# Real servers the integration tests and the demo start (see ../shared/fixtures).
TEST_PKGS=(
  docker-registry skopeo apache2-utils lighttpd curl openssl
  python3 python3-botocore python3-yaml python3-prometheus-client
)
# Peers the benchmarks compare against.
BENCH_PKGS=(golang-go golang-github-masterminds-semver-dev)

want=("${BUILD_PKGS[@]}")
case "${1:-all}" in
  build) ;;
  test) want+=("${TEST_PKGS[@]}") ;;
  all) want+=("${TEST_PKGS[@]}" "${BENCH_PKGS[@]}") ;;
  *) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#want[@]} packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
