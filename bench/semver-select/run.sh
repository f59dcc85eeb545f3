#!/usr/bin/env bash
# Runs the semver-select benchmark: generates the tag file, builds the Go side offline against
# Debian's Masterminds/semver, runs both programs, checks they choose the same tag and prints
# the Go/C++ time ratio. See README.md.
#
#   run.sh --cpp PATH [--work-dir DIR] [--constraint TEXT] [--count N] [--seed S] [--reps R]
#
# --cpp       the built iu_bench_semver_select (cmake --build <dir> --target iu_bench_semver_select)
# --work-dir  where the tag file, the Go build and its caches go (default: a fresh /tmp dir);
#             never inside the source tree
# Exit status: 0 when both sides agree, 1 when they choose different tags or a step fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cpp=""
work=""
# No prerelease comparators and no "!=": on such constraints Debian's Masterminds v3.2.0 and
# the v3.4.0 the updater follows give identical answers (see README.md).
constraint=">=1.4.0, <4 || ~5.1"
count=100000
seed=42
reps=21
semver_src="${SEMVER_GO_SRC:-/usr/share/gocode/src/github.com/Masterminds/semver}"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --cpp) cpp="$2"; shift 2 ;;
    --work-dir) work="$2"; shift 2 ;;
    --constraint) constraint="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 1 ;;
  esac
done

die() { echo "run.sh: $*" >&2; exit 1; }

[[ -n "$cpp" ]] || die "--cpp PATH is required (build the target iu_bench_semver_select first)"
[[ -x "$cpp" ]] || die "C++ bench program not found or not executable: $cpp"
command -v go >/dev/null || die "'go' not found (Debian package golang-go)"
[[ -f "$semver_src/go.mod" ]] ||
  die "Masterminds/semver sources not found in $semver_src (golang-github-masterminds-semver-dev)"

if [[ -z "$work" ]]; then
  work="$(mktemp -d /tmp/semver-select-bench.XXXXXX)"
fi
mkdir -p "$work"
work="$(cd "$work" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
case "$work/" in
  "$repo_root"/*) die "--work-dir must be outside the source tree ($repo_root)" ;;
esac

# 1. The tag file both sides read.
tags="$work/tags-$count-$seed.txt"
"$cpp" generate "$tags" "$count" "$seed"

# 2. Build the Go side offline: a throw-away module in the work dir whose go.mod points the
#    semver module at the Debian sources. Nothing is written next to the sources.
gosrc="$work/go-src"
mkdir -p "$gosrc"
cp "$here/go/main.go" "$gosrc/main.go"
semver_version="$(dpkg-query -W -f '${Version}' golang-github-masterminds-semver-dev 2>/dev/null || true)"
semver_version="${semver_version%%-*}"
cat >"$gosrc/go.mod" <<EOF
module iu/bench/semverselect

go 1.18

require github.com/Masterminds/semver/v3 v${semver_version:-3.2.0}

replace github.com/Masterminds/semver/v3 => $semver_src
EOF
(
  cd "$gosrc"
  export GOPATH="$work/gopath" GOCACHE="$work/gocache" GOFLAGS=-mod=mod GOPROXY=off \
    GO111MODULE=on GOTOOLCHAIN=local GOSUMDB=off
  go build -o "$work/semver-select-go" .
) || die "building the Go side failed"

# 3. Run both, one after the other, on the same file and constraint.
echo "tags: $tags ($count tags, seed $seed)"
echo "constraint: \"$constraint\""
echo "Go library: Masterminds/semver ${semver_version:-unknown} from $semver_src"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
cpp_out="$("$cpp" run "$tags" "$constraint" "$reps")"
go_out="$("$work/semver-select-go" "$tags" "$constraint" "$reps")"

field() { sed -n "s/^$2: //p" <<<"$1"; }
cpp_tag="$(field "$cpp_out" chosen)"
go_tag="$(field "$go_out" chosen)"
cpp_best="$(field "$cpp_out" best_ms)"
cpp_median="$(field "$cpp_out" median_ms)"
go_best="$(field "$go_out" best_ms)"
go_median="$(field "$go_out" median_ms)"

printf '%-6s chosen %-24s best %10s ms   median %10s ms   (%s reps)\n' \
  "C++" "$cpp_tag" "$cpp_best" "$cpp_median" "$reps"
printf '%-6s chosen %-24s best %10s ms   median %10s ms   (%s reps)\n' \
  "Go" "$go_tag" "$go_best" "$go_median" "$reps"

if [[ "$cpp_tag" != "$go_tag" ]]; then
  echo "MISMATCH: C++ chose '$cpp_tag', Go chose '$go_tag'" >&2
  exit 1
fi
awk -v gb="$go_best" -v cb="$cpp_best" -v gm="$go_median" -v cm="$cpp_median" 'BEGIN {
  rb = gb / cb; rm = gm / cm
  printf "ratio Go/C++: best %.1fx, median %.1fx\n", rb, rm
  if (rm >= 10) print "target (C++ at least 10x faster): met"
  else print "target (C++ at least 10x faster): NOT met (is the machine busy? see README.md)"
}'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
