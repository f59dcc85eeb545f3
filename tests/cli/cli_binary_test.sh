#!/usr/bin/env bash
# Exit codes and messages of the binary's commands (SPEC §3.1, §3.2).
set -u
bin="$1"
fail=0
check() {  # check NAME EXPECTED_RC PATTERN -- command...
  local name=$1 want=$2 pattern=$3; shift 4
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" != "$want" ]; then echo "FAIL $name: exit $rc, want $want: $out"; fail=1; return; fi
  if ! grep -qE -- "$pattern" <<<"$out"; then echo "FAIL $name: output lacks /$pattern/: $out"; fail=1; return; fi
  echo "ok   $name"
}
check version 0 '^argocd-image-updater: v[0-9]+\.[0-9]+\.[0-9]+\+' -- "$bin" version
check version-abi 0 'PluginABI: 1\.0' -- "$bin" version
check version-short 0 '^argocd-image-updater: v' -- "$bin" version --short
check plugins 0 '^KIND +NAME +VERSION +ABI +STATUS +SOURCE' -- "$bin" plugins
check plugins-default-scheduler 0 'scheduler +default +1\.0\.0 +1\.0 +loaded' -- "$bin" plugins
check plugins-json 0 '"implementations":\[' -- "$bin" plugins -o json
check mode-rejected 2 'choose the configuration source with --source' -- "$bin" run --mode=annotations
check bad-env 2 'IMAGE_UPDATER_INTERVAL \(--interval\): invalid duration "5": missing unit' -- env IMAGE_UPDATER_INTERVAL=5 "$bin" run
check unknown-flag 2 'unknown-flag' -- "$bin" run --unknown-flag
check dir-needs-path 2 '--source dir needs --dir' -- "$bin" run --source dir
check unknown-schedule 2 'unknown scheduler "sideways" \(available: .*default' -- "$bin" run --once --schedule sideways --loglevel error
check run-help 0 '--git-commit-message-path' -- "$bin" run --help
check test-help 0 '--semver-constraint' -- "$bin" test --help
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "not a plugin" > "$tmp/broken.so"
check plugins-rejected 1 'rejected +.*broken\.so: not an ELF shared object' -- "$bin" plugins --plugin-dir "$tmp"

# --enable-http2 (SPEC §3.3, §12.1): the webhook endpoint (HTTPS, self-signed) answers HTTP/2
# clients over ALPN h2, webhook POSTs included, and HTTP/1.1 clients on the same port.
mkdir "$tmp/apps"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" run --source dir --dir "$tmp/apps" --registries-conf-path "" --cache-dir "" --interval 10m \
  --metrics-bind-address 0 --health-probe-bind-address 0 --enable-webhook --enable-http2 \
  --webhook-port "$port" --registry-webhook-secret s3cret >"$tmp/run.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 300); do
  curl -sk -o /dev/null "https://127.0.0.1:$port/healthz" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
hook="https://127.0.0.1:$port/webhook?type=registry"
check webhook-h2-healthz 0 '^2 200$' -- curl -sk --http2 -o /dev/null -w '%{http_version} %{http_code}' "https://127.0.0.1:$port/healthz"
check webhook-h2-unauthenticated 0 '^2 401$' -- curl -sk --http2 -o /dev/null -w '%{http_version} %{http_code}' -d '{"events":[]}' "$hook"
check webhook-h2-malformed 0 '^2 400$' -- curl -sk --http2 -o /dev/null -w '%{http_version} %{http_code}' -H 'Authorization: Bearer s3cret' -d '{"events":[{"action":"push"}]}' "$hook"
check webhook-h2-http11-client 0 '^1.1 200$' -- curl -sk --http1.1 -o /dev/null -w '%{http_version} %{http_code}' "https://127.0.0.1:$port/healthz"
kill "$pid"
wait "$pid"
check webhook-h2-clean-exit 0 '' -- test "$?" -eq 0
check webhook-h2-logged 0 'webhook endpoint listening.* scheme=https http2=on' -- cat "$tmp/run.log"
exit $fail
