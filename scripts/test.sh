#!/usr/bin/env bash
# One command for a fresh Debian 12 machine: installs what is missing, builds, and runs the
# whole test suite with CTest (unit, conformance and integration tests against real servers,
# which the tests start and stop themselves on 127.0.0.1).
#   scripts/test.sh [--sanitize address|thread]
# The shared folder (SPEC, fixtures, conformance vectors) is found through IU_SHARED_DIR,
# default ../shared beside the clone.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh test
export IU_SHARED_DIR="${IU_SHARED_DIR:-$(cd .. && pwd)/shared}"
if [ ! -d "$IU_SHARED_DIR/conformance" ]; then
  echo "test.sh: shared folder not found at $IU_SHARED_DIR (set IU_SHARED_DIR)" >&2
  exit 1
fi
build_dir=$(bash scripts/build.sh "$@" | tail -n 1)
case " $* " in
  *" thread "*) export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ;;
  *" address "*) export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" ;;
esac
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)" --timeout 600
