#!/usr/bin/env bash
# The local demo (no cluster needed): installs what is missing, builds, and shows the engine
# with its bundled plugins: version, and every implementation loaded and called once.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh test
build_dir=$(bash scripts/build.sh | tail -n 1)
bin="$build_dir/bin/argocd-image-updater"
"$bin" version
echo
"$bin" plugins --probe
