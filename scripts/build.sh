#!/usr/bin/env bash
# Configures and builds the project (binary, bundled plugins, tests, benchmarks).
#   scripts/build.sh [--sanitize address|thread] [--build-dir DIR]
# Environment: BUILD_DIR (default build, or build-<sanitizer>), CMAKE_BUILD_TYPE (RelWithDebInfo).
set -euo pipefail
cd "$(dirname "$0")/.."
sanitize=""
build_dir="${BUILD_DIR:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --sanitize) sanitize="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    *) echo "usage: $0 [--sanitize address|thread] [--build-dir DIR]" >&2; exit 2 ;;
  esac
done
[ -n "$build_dir" ] || build_dir="build${sanitize:+-$sanitize}"
# Let ccache share results between clones in different folders (CI builds a fresh clone).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B "$build_dir" -G Ninja \
  -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" \
  -DIU_SANITIZE="$sanitize" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
echo "$build_dir"
