#!/usr/bin/env bash
# The deploy manifests under config/ (issue #6): render them with `kubectl kustomize`, check
# their structure (check_rendered.py), then apply them with the real kubectl to
# ../shared/fixtures/kube_fake.py, which serves the rendered ImageUpdater CRD: the samples
# must be accepted unchanged (nothing pruned), status must round-trip through the status
# subresource, and every testdata/invalid-*.yaml must be rejected with its `# expect:` message.
#
# usage: deploy_test.sh SOURCE_DIR
# env:   IU_SHARED_DIR (default SOURCE_DIR/../shared), KUBECTL (default kubectl),
#        PYTHON (default python3)
set -u
src=$(cd "${1:?usage: deploy_test.sh SOURCE_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
kubectl=${KUBECTL:-kubectl}
python=${PYTHON:-python3}
shared=${IU_SHARED_DIR:-$src/../shared}
fail=0

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
die() { echo "FAIL $*"; exit 1; }

fake="$shared/fixtures/kube_fake.py"
[ -f "$fake" ] || die "kube_fake.py not found at $fake: set IU_SHARED_DIR to the shared folder" \
  "(the one holding fixtures/ and SPEC.md; default: <source>/../shared)"
command -v "$kubectl" >/dev/null || die "kubectl not found (set KUBECTL or install kubectl)"
command -v "$python" >/dev/null || die "$python not found (set PYTHON)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/iu-deploy.XXXXXX")
fake_pid=""
cleanup() {
  if [ -n "$fake_pid" ]; then
    kill "$fake_pid" 2>/dev/null
    wait "$fake_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---- 1. render and check the structure
if "$kubectl" kustomize "$src/config" >"$tmp/rendered.yaml" 2>"$tmp/kustomize.err"; then
  ok "kubectl kustomize config/ renders ($(grep -c '^kind:' "$tmp/rendered.yaml") objects)"
else
  die "kubectl kustomize config/: $(cat "$tmp/kustomize.err")"
fi
"$python" "$here/check_rendered.py" "$tmp/rendered.yaml" "$src/core/cli/flag_specs.cpp" "$tmp" \
  || fail=1
[ -s "$tmp/crd.yaml" ] && [ -s "$tmp/applicable.yaml" ] \
  || die "check_rendered.py wrote no crd.yaml/applicable.yaml; cannot apply"
if "$kubectl" kustomize "$src/config/samples" >"$tmp/samples.yaml" 2>"$tmp/kustomize.err"; then
  ok "kubectl kustomize config/samples renders"
else
  bad "kubectl kustomize config/samples: $(cat "$tmp/kustomize.err")"
fi
# The cluster-wide component must compose with the base.
mkdir -p "$tmp/overlay"
rel=$("$python" -c 'import os,sys; print(os.path.relpath(sys.argv[1], sys.argv[2]))' \
  "$src/config" "$tmp/overlay")
cat >"$tmp/overlay/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: ["$rel"]
components: ["$rel/components/cluster-wide"]
EOF
if "$kubectl" kustomize --load-restrictor LoadRestrictionsNone "$tmp/overlay" \
     >"$tmp/overlay.yaml" 2>"$tmp/kustomize.err" \
   && "$python" - "$tmp/overlay.yaml" <<'EOF'; then
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
crb = [d for d in docs if d["kind"] == "ClusterRoleBinding"
       and d["metadata"]["name"] == "argocd-image-updater-manager-clusterrolebinding"]
cr = [d for d in docs if d["kind"] == "ClusterRole"
      and d["metadata"]["name"] == "argocd-image-updater-manager-clusterrole"]
sys.exit(0 if cr and crb and crb[0]["subjects"] == [
    {"kind": "ServiceAccount", "name": "argocd-image-updater-controller",
     "namespace": "argocd"}] else 1)
EOF
  ok "components/cluster-wide composes with the base"
else
  bad "components/cluster-wide: no ClusterRole/ClusterRoleBinding for the argocd ServiceAccount $(cat "$tmp/kustomize.err")"
fi

# ---- 2. the fake API server, serving the rendered CRD (schema validation and pruning)
"$python" "$fake" --port 0 --port-file "$tmp/kf.port" --tls "$tmp/tls" \
  --kubeconfig-out "$tmp/kubeconfig" --strict-namespaces --max-lifetime 600 \
  --crd "$tmp/crd.yaml" --crd "$here/testdata/api_shims.yaml" >"$tmp/kf.log" 2>&1 &
fake_pid=$!
for _ in $(seq 1 150); do
  [ -s "$tmp/kf.port" ] && [ -s "$tmp/kubeconfig" ] && break
  kill -0 "$fake_pid" 2>/dev/null || die "kube_fake.py exited: $(cat "$tmp/kf.log")"
  sleep 0.1
done
[ -s "$tmp/kf.port" ] || die "kube_fake.py did not start within 15 s: $(cat "$tmp/kf.log")"
export KUBECONFIG="$tmp/kubeconfig"
k() { "$kubectl" --request-timeout=20s "$@"; }

k create namespace argocd >/dev/null 2>"$tmp/err" || die "create namespace argocd: $(cat "$tmp/err")"

# ---- 3. apply the base. ServiceAccount and Service are core v1 kinds the fake cannot serve;
# check_rendered.py left them out of applicable.yaml (their content is checked there).
if k apply -f - <"$tmp/applicable.yaml" >"$tmp/apply.out" 2>"$tmp/err"; then
  ok "kubectl apply of the rendered base ($(grep -c ' created$' "$tmp/apply.out") created)"
else
  bad "kubectl apply of the rendered base: $(cat "$tmp/err")"
fi
for obj in customresourcedefinition/imageupdaters.argocd-image-updater.argoproj.io \
           -n=argocd:deployment/argocd-image-updater-controller \
           -n=argocd:configmap/argocd-image-updater-config \
           -n=argocd:configmap/argocd-image-updater-ssh-config \
           -n=argocd:secret/argocd-image-updater-secret \
           -n=argocd:role/argocd-image-updater-manager-role \
           -n=argocd:rolebinding/argocd-image-updater-leader-election-rolebinding \
           clusterrole/argocd-image-updater-metrics-reader; do
  ns=(); name=$obj
  case $obj in -n=*) ns=("-n" "${obj#-n=}"); ns[1]=${ns[1]%%:*}; name=${obj#*:} ;; esac
  if k get "${ns[@]}" "$name" -o name >/dev/null 2>"$tmp/err"; then
    ok "read back $name"
  else
    bad "read back $name: $(cat "$tmp/err")"
  fi
done
# Applying again changes nothing.
if k apply -f - <"$tmp/applicable.yaml" >"$tmp/apply.out" 2>"$tmp/err" \
   && ! grep -qv ' unchanged$' "$tmp/apply.out"; then
  ok "re-applying the base is a no-op"
else
  bad "re-applying the base: $(cat "$tmp/apply.out" "$tmp/err")"
fi

# ---- 4. the samples: accepted, and read back with the same spec (the schema prunes unknown
# fields, so an incomplete schema would show here).
if k apply -f - <"$tmp/samples.yaml" >"$tmp/apply.out" 2>"$tmp/err"; then
  ok "kubectl apply of config/samples: $(tr '\n' ' ' <"$tmp/apply.out")"
else
  bad "kubectl apply of config/samples: $(cat "$tmp/err")"
fi
if grep -qi warning "$tmp/err"; then bad "samples gave warnings: $(cat "$tmp/err")"; fi
k get imageupdaters -n argocd -o yaml >"$tmp/stored.yaml" 2>"$tmp/err" \
  || bad "list imageupdaters: $(cat "$tmp/err")"
"$python" - "$tmp/samples.yaml" "$tmp/stored.yaml" <<'EOF' || fail=1
import sys, yaml
sent = {d["metadata"]["name"]: d for d in yaml.safe_load_all(open(sys.argv[1])) if d}
stored = {d["metadata"]["name"]: d for d in yaml.safe_load(open(sys.argv[2]))["items"]}
bad = 0
for name, d in sent.items():
    got = stored.get(name)
    if got is None:
        print("FAIL sample %s: not stored" % name); bad = 1
    elif got.get("spec") != d["spec"]:
        print("FAIL sample %s: stored spec differs (pruned or defaulted):\n sent   %r\n stored %r"
              % (name, d["spec"], got.get("spec"))); bad = 1
    else:
        print("ok   sample %s stored unchanged" % name)
sys.exit(bad)
EOF

# ---- 5. status through the subresource: every field of SPEC §4.1/§13.4 is kept.
status='{"status":{"observedGeneration":1,"lastCheckedAt":"2026-01-02T03:04:05Z",
 "lastUpdatedAt":"2026-01-02T03:04:05Z","applicationsMatched":3,"imagesManaged":5,
 "recentUpdates":[{"alias":"api","image":"ghcr.io/acme/shop-api","newVersion":"2.4.1",
   "applicationsUpdated":2,"updatedAt":"2026-01-02T03:04:05Z",
   "message":"Updated from 2.4.0 to 2.4.1."}],
 "conditions":[
  {"type":"Ready","status":"True","reason":"ReconcileSucceeded","message":"",
   "lastTransitionTime":"2026-01-02T03:04:05Z","observedGeneration":1},
  {"type":"Reconciling","status":"False","reason":"Idle","message":"",
   "lastTransitionTime":"2026-01-02T03:04:05Z","observedGeneration":1},
  {"type":"Error","status":"True","reason":"PartialErrors",
   "message":"spec.applicationRefs[0].images[0]: no tag matches (+2 more)",
   "lastTransitionTime":"2026-01-02T03:04:05Z","observedGeneration":1}]}}'
if k patch imageupdater shop -n argocd --subresource=status --type=merge -p "$status" \
     >/dev/null 2>"$tmp/err"; then
  k get imageupdater shop -n argocd -o json >"$tmp/shop.json" 2>>"$tmp/err"
  "$python" - "$tmp/shop.json" "$status" <<'EOF' || fail=1
import json, sys
got = json.load(open(sys.argv[1])).get("status")
want = json.loads(sys.argv[2])["status"]
if got == want:
    print("ok   status round-trips through the status subresource")
else:
    print("FAIL status round-trip:\n sent   %r\n stored %r" % (want, got)); sys.exit(1)
EOF
else
  bad "patch status: $(cat "$tmp/err")"
fi
if k patch imageupdater shop -n argocd --subresource=status --type=merge \
     -p '{"status":{"imagesManaged":"five"}}' >/dev/null 2>"$tmp/err"; then
  bad "status with a string imagesManaged was accepted"
else
  ok "status schema rejects a string imagesManaged"
fi

# ---- 6. CRs that violate the schema are rejected, with the expected message, and not stored.
for f in "$here"/testdata/invalid-*.yaml; do
  t=$(basename "$f" .yaml)
  want=$(sed -n 's/^# expect: //p' "$f")
  name=$(sed -n 's/^  name: *//p' "$f" | head -n 1)
  if k apply -f "$f" >"$tmp/out" 2>"$tmp/err"; then
    bad "$t: accepted: $(cat "$tmp/out")"
  elif ! grep -qE -- "$want" "$tmp/err"; then
    bad "$t: rejected, but the message lacks /$want/: $(cat "$tmp/err")"
  elif k get imageupdater "$name" -n argocd >/dev/null 2>&1; then
    bad "$t: rejected, yet imageupdater $name exists"
  else
    ok "$t rejected: $(head -c 200 "$tmp/err" | tr '\n' ' ')"
  fi
done

[ $fail = 0 ] && echo "deploy_test: all checks passed" || echo "deploy_test: FAILED"
exit $fail
