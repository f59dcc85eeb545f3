#!/usr/bin/env bash
# ecr-describe benchmark driver (see README.md): starts a real registry holding one repository
# with T tags and ecr_fake.py in front of it (ECR API with SigV4 checks + ECR's Basic-auth
# registry front), all on 127.0.0.1, then runs the C++ side, which measures the DescribeImages
# path against the plain v2 path in the same run.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../lib/registry_env.sh"
BENCH="" PLUGIN_DIR="" WORK="" TAGS=5000 CONC=10

usage() {
  echo "usage: $0 --bench PATH --plugin-dir DIR [--work-dir DIR] [--tags T] [--concurrency C]" >&2
  exit 2
}
while (($#)); do
  case $1 in
    --bench) BENCH=$2; shift 2 ;;
    --plugin-dir) PLUGIN_DIR=$2; shift 2 ;;
    --work-dir) WORK=$2; shift 2 ;;
    --tags) TAGS=$2; shift 2 ;;
    --concurrency) CONC=$2; shift 2 ;;
    *) usage ;;
  esac
done
[[ -x $BENCH && -d $PLUGIN_DIR ]] || usage
bench_env ecr "$WORK"
rm -f "$WORK/ecr.port" "$WORK/ecr.pport"
ECR_PID=""

cleanup() {
  [[ -n $ECR_PID ]] && kill "$ECR_PID" 2>/dev/null && wait "$ECR_PID" 2>/dev/null || true
  bench_stop_registry
}
trap cleanup EXIT

bench_start_registry
echo "filling bench/big with $TAGS tags (direct-fs)..." >&2
"$PY" "$FIXTURES/populate.py" --quiet --direct-fs "$REGISTRY_STORAGE" \
  --repo bench/big --tag-pattern '1.0.{i}' --tag-count "$TAGS"

"$PY" "$FIXTURES/ecr_fake.py" --port 0 --port-file "$WORK/ecr.port" \
  --registry "$REGISTRY_URL" --registry-cache-ttl 3600 --registry-proxy-port 0 \
  --proxy-port-file "$WORK/ecr.pport" --max-lifetime 1800 2>"$WORK/ecr_fake.log" &
ECR_PID=$!
for _ in $(seq 1 300); do
  [[ -s $WORK/ecr.port && -s $WORK/ecr.pport ]] && break
  sleep 0.1
done
[[ -s $WORK/ecr.port && -s $WORK/ecr.pport ]] || { cat "$WORK/ecr_fake.log" >&2; exit 1; }

echo "ecr_fake reads the registry once (warm-up, not measured)..." >&2
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
AWS_ENDPOINT_URL="http://127.0.0.1:$(cat "$WORK/ecr.port")" \
  "$BENCH" --plugin-dir "$PLUGIN_DIR" --registry-url "http://127.0.0.1:$(cat "$WORK/ecr.pport")" \
  --repository bench/big --concurrency "$CONC"
