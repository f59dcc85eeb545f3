#!/usr/bin/env bash
# The local demo (no cluster needed). Installs what is missing, builds, then on 127.0.0.1 only:
# starts a real registry (Debian's docker-registry) and a git server (git daemon), pushes a few
# image tags, creates a GitOps repository with a Helm and a Kustomize application, runs
#   argocd-image-updater run --once --source dir
# and shows the commit it pushed (`git log -p -1`). Everything is removed at the end
# (set IU_DEMO_KEEP=1 to keep the working folder).
set -euo pipefail
cd "$(dirname "$0")/.."
repo_root=$PWD
bash scripts/install-deps.sh test
build_dir=$(bash scripts/build.sh | tail -n 1)
bin="$repo_root/$build_dir/bin/argocd-image-updater"
[ -x "$bin" ] || bin="$build_dir/bin/argocd-image-updater"

work=$(mktemp -d /tmp/iu-demo.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${IU_DEMO_KEEP:-0}" = 1 ]; then echo "demo files kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() {  # wait_for WHAT COMMAND...: up to 15 s
  local what=$1; shift
  for _ in $(seq 150); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "demo: $what did not come up" >&2; exit 1
}
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "version and plugins"
"$bin" version
"$bin" plugins

step "starting a registry and a git server on 127.0.0.1"
reg_port=$(free_port)
mkdir -p "$work/registry" "$work/git"
cat >"$work/registry/config.yml" <<YAML
version: 0.1
log: {level: error}
storage:
  filesystem: {rootdirectory: $work/registry/data}
  delete: {enabled: true}
http: {addr: 127.0.0.1:$reg_port}
YAML
timeout 900 docker-registry serve "$work/registry/config.yml" >"$work/registry/log" 2>&1 &
pids+=($!)
registry=127.0.0.1:$reg_port
wait_for "the registry" curl -fsS "http://$registry/v2/"
git_port=$(free_port)
timeout 900 git daemon --listen=127.0.0.1 --port="$git_port" --base-path="$work/git" \
  --export-all --enable=receive-pack --reuseaddr "$work/git" >"$work/git.log" 2>&1 &
pids+=($!)
echo "registry http://$registry, git daemon git://127.0.0.1:$git_port"

step "pushing image tags"
python3 scripts/demo/push_image.py "$registry" shop/web 1.0.0 1.1.0 1.2.0 2.0.0-rc.1
python3 scripts/demo/push_image.py "$registry" shop/api 0.9.0 1.0.0 1.0.1 1.1.0-debug

step "creating the GitOps repository (a Helm chart and a Kustomize app)"
git init -q --bare -b main "$work/git/gitops.git"
src="$work/gitops-src"
mkdir -p "$src/apps/web/templates" "$src/apps/api"
cat >"$src/apps/web/Chart.yaml" <<YAML
apiVersion: v2
name: web
version: 0.1.0
YAML
cat >"$src/apps/web/values.yaml" <<YAML
# Values of the web chart. The image updater edits only the tag below,
# keeping these comments and the layout as they are.
replicaCount: 2
image:
  repository: $registry/shop/web
  tag: "1.0.0"  # the deployed version
service: {port: 8080}
YAML
cat >"$src/apps/web/templates/deployment.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
YAML
cat >"$src/apps/api/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
images:
  - name: $registry/shop/api
    newTag: 0.9.0
YAML
cat >"$src/apps/api/deployment.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      containers:
        - name: api
          image: $registry/shop/api
YAML
git -C "$src" init -q -b main
git -C "$src" add -A
git -C "$src" -c user.name=demo -c user.email=demo@example.invalid commit -qm "Initial GitOps layout"
git -C "$src" push -q "git://127.0.0.1:$git_port/gitops.git" main
wait_for "the git server" git ls-remote "git://127.0.0.1:$git_port/gitops.git"

step "the Argo CD Applications and the ImageUpdater (dir source: no cluster)"
mkdir -p "$work/manifests"
cat >"$work/manifests/shop.yaml" <<YAML
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: shop-web, namespace: argocd}
spec:
  project: default
  source:
    repoURL: git://127.0.0.1:$git_port/gitops.git
    targetRevision: main
    path: apps/web
    helm: {valueFiles: [values.yaml]}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: shop-api, namespace: argocd}
spec:
  project: default
  source:
    repoURL: git://127.0.0.1:$git_port/gitops.git
    targetRevision: main
    path: apps/api
    kustomize: {}
---
apiVersion: argocd-image-updater.argoproj.io/v1alpha1
kind: ImageUpdater
metadata: {name: shop, namespace: argocd}
spec:
  commonUpdateSettings:
    ignoreTags: ["*-debug"]
  writeBackConfig:
    method: git
    gitConfig: {branch: main}
  applicationRefs:
    - namePattern: shop-web
      writeBackConfig:
        method: git
        gitConfig: {branch: main, writeBackTarget: "helmvalues:values.yaml"}
      images:
        - alias: web
          imageName: $registry/shop/web:~1
          manifestTargets: {helm: {name: image.repository, tag: image.tag}}
    - namePattern: shop-api
      writeBackConfig:
        method: git
        gitConfig: {branch: main, writeBackTarget: kustomization}
      images:
        - alias: api
          imageName: $registry/shop/api
          manifestTargets: {kustomize: {name: $registry/shop/api}}
YAML
cat >"$work/registries.conf" <<YAML
registries:
  - name: demo
    prefix: $registry
    api_url: http://$registry
YAML
sed -n '1,200p' "$work/manifests/shop.yaml" | tail -n 26

step "argocd-image-updater run --once --source dir"
"$bin" run --once --source dir --dir "$work/manifests" \
  --registries-conf-path "$work/registries.conf" --cache-dir "$work/cache" \
  --git-commit-user "Image Updater Demo" --git-commit-email demo@example.invalid \
  --report "$work/report.json"

step "the commit it pushed: git log -p -1"
git clone -q "git://127.0.0.1:$git_port/gitops.git" "$work/gitops-check"
git -C "$work/gitops-check" --no-pager log -p -1 --stat

step "a second pass finds nothing to do (no new commit)"
"$bin" run --once --source dir --dir "$work/manifests" \
  --registries-conf-path "$work/registries.conf" --cache-dir "$work/cache" 2>&1 |
  grep -E "Processing results|Setting new image" || true
git -C "$work/gitops-check" fetch -q origin
git -C "$work/gitops-check" --no-pager log --oneline origin/main
