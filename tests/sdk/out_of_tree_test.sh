#!/usr/bin/env bash
# Builds sdk/examples/calver-strategy against the *installed* SDK (find_package), then checks
# that the installed binary lists the plugin and can call it.
set -euo pipefail
build_dir=$1 source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$source_dir/sdk/examples/calver-strategy" -B "$work/calver" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/calver" >/dev/null
test -f "$work/prefix/include/iu/plugin.h"
out=$("$work/prefix/bin/argocd-image-updater" plugins --plugin-dir "$work/calver" --probe)
echo "$out"
grep -qE '^strategy +calver +0\.3\.1 +1\.0 +loaded +.*strategy-calver\.so  probe: ok \(picked 2024\.05\.17\)' <<<"$out"
# The installed binary also finds the bundled plugins relative to itself.
grep -qE '^scheduler +default .*/lib/argocd-image-updater/plugins/sched-default\.so' <<<"$out"
echo "out-of-tree plugin built against the installed SDK, listed and called"
