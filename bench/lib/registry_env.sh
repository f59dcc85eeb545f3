# Sourced by the benchmark drivers that need the real registry of ../shared/fixtures.
#   bench_env NAME WORK      sets FIXTURES, PY, WORK (WORK, or a new temporary folder) and
#                            STORAGE (registry storage: /dev/shm/iu-bench-NAME-* when there is a
#                            /dev/shm, else $WORK/storage); exits 2 when the fixtures are missing
#   bench_start_registry     starts registry.sh in $WORK/registry on a free port (its
#                            REGISTRY_* variables are set in the caller's shell)
#   bench_stop_registry      stops it and removes a /dev/shm storage; call from the EXIT trap
BENCH_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

bench_env() {
  FIXTURES="${IU_SHARED_DIR:-$BENCH_LIB/../../../shared}/fixtures"
  [[ -d $FIXTURES ]] || { echo "fixtures not found at $FIXTURES (set IU_SHARED_DIR)" >&2; exit 2; }
  PY=/usr/bin/python3
  WORK=${2:-$(mktemp -d)}
  mkdir -p "$WORK"
  STORAGE=$WORK/storage
  if [[ -d /dev/shm ]]; then STORAGE=$(mktemp -d "/dev/shm/iu-bench-$1-XXXXXX"); fi
}

bench_start_registry() {
  eval "$("$FIXTURES/registry.sh" start "$WORK/registry" 0 --storage "$STORAGE" --ttl 1800)"
}

bench_stop_registry() {
  "$FIXTURES/registry.sh" stop "$WORK/registry" >/dev/null 2>&1 || true
  if [[ $STORAGE == /dev/shm/* ]]; then rm -rf "$STORAGE"; fi
}
