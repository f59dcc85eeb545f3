#!/usr/bin/env bash
# registry-lookup benchmark driver (see README.md): starts a real registry and the counting
# proxy on 127.0.0.1, fills K repositories, then in the same run
#   1. the C++ registry service checks N applications sharing the K images, C at a time;
#   2. `skopeo list-tags` lists the same K images, C processes at a time;
# and prints registry requests against their lower bound and the wall times.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../lib/registry_env.sh"
BENCH="" PLUGIN_DIR="" WORK="" IMAGES=1000 APPS=10000 CONC=10 TAGS=20

usage() {
  echo "usage: $0 --bench PATH --plugin-dir DIR [--work-dir DIR] [--images K] [--apps N]" \
       "[--concurrency C] [--tags T]" >&2
  exit 2
}
while (($#)); do
  case $1 in
    --bench) BENCH=$2; shift 2 ;;
    --plugin-dir) PLUGIN_DIR=$2; shift 2 ;;
    --work-dir) WORK=$2; shift 2 ;;
    --images) IMAGES=$2; shift 2 ;;
    --apps) APPS=$2; shift 2 ;;
    --concurrency) CONC=$2; shift 2 ;;
    --tags) TAGS=$2; shift 2 ;;
    *) usage ;;
  esac
done
[[ -x $BENCH && -d $PLUGIN_DIR ]] || usage
command -v skopeo >/dev/null || { echo "skopeo is required (apt-get install -y skopeo)" >&2; exit 2; }
bench_env registry "$WORK"

cleanup() {
  "$PY" "$FIXTURES/faults.py" --stop "$WORK/faults.pid" >/dev/null 2>&1 || true
  bench_stop_registry
}
trap cleanup EXIT

bench_start_registry
echo "filling $IMAGES repositories x $TAGS tags (direct-fs)..." >&2
"$PY" "$FIXTURES/populate.py" --quiet --direct-fs "$REGISTRY_STORAGE" \
  --repo-pattern 'bench/app-{i}' --repo-count "$IMAGES" --tag-pattern '1.0.{i}' --tag-count "$TAGS"
eval "$("$PY" "$FIXTURES/faults.py" --background --pid-file "$WORK/faults.pid" --port 0 \
  --ttl 1800 --upstream "http://$REGISTRY_HOST")"
PROXY=127.0.0.1:$FAULTS_PORT

stat_kind() {  # stat_kind KIND -> requests of that kind since the last reset
  curl -sf "http://$PROXY/__stats" | "$PY" -c "import json,sys; print(json.load(sys.stdin)['by_kind'].get('$1', 0))"
}
stat_total() { curl -sf "http://$PROXY/__stats" | "$PY" -c "import json,sys; print(json.load(sys.stdin)['total'])"; }

curl -sf -X POST "http://$PROXY/__reset" >/dev/null
OUT=$("$BENCH" --registry "$PROXY" --plugin-dir "$PLUGIN_DIR" --images "$IMAGES" --apps "$APPS" \
  --concurrency "$CONC")
IU_SECONDS=$(sed -n 's/^seconds=//p' <<<"$OUT")
IU_FOUND=$(sed -n 's/^found=//p' <<<"$OUT")
IU_TAGS=$(stat_kind tags) IU_TOTAL=$(stat_total)

curl -sf -X POST "http://$PROXY/__reset" >/dev/null
START=$(date +%s.%N)
seq 0 $((IMAGES - 1)) | xargs -P "$CONC" -I{} \
  skopeo list-tags --tls-verify=false "docker://$PROXY/bench/app-{}" >/dev/null
SK_SECONDS=$("$PY" -c "print($(date +%s.%N) - $START)")
SK_TAGS=$(stat_kind tags) SK_TOTAL=$(stat_total)

"$PY" - "$IMAGES" "$APPS" "$CONC" "$IU_FOUND" "$IU_TAGS" "$IU_TOTAL" "$IU_SECONDS" \
  "$SK_TAGS" "$SK_TOTAL" "$SK_SECONDS" <<'PYEOF'
import sys
k, n, c, found, iu_tags, iu_total, iu_s, sk_tags, sk_total, sk_s = sys.argv[1:]
k, n, c, found, iu_tags, iu_total, sk_tags, sk_total = map(int, (k, n, c, found, iu_tags, iu_total, sk_tags, sk_total))
iu_s, sk_s = float(iu_s), float(sk_s)
print(f"registry-lookup: {n} applications sharing {k} images, concurrency {c}")
print(f"{'':28}{'tag-list requests':>18}{'/ lower bound':>15}{'all requests':>14}{'wall s':>10}")
print(f"{'argocd-image-updater (N apps)':28}{iu_tags:>18}{iu_tags / k:>15.2f}{iu_total:>14}{iu_s:>10.2f}")
print(f"{'skopeo list-tags (K images)':28}{sk_tags:>18}{sk_tags / k:>15.2f}{sk_total:>14}{sk_s:>10.2f}")
print(f"wall time skopeo / ours: {sk_s / iu_s:.2f}x   images with a candidate: {found}/{n}")
ok = iu_tags == k and found == n
print("PASS" if ok else "FAIL: tag-list requests must equal K and every application must find a tag")
sys.exit(0 if ok else 1)
PYEOF
