// The flag tables of SPEC §3.3 (run, webhook) and §3.4 (test). Names, defaults and upstream
// environment variable names are part of the compatibility contract.
#include "cli/flag_table.hpp"

namespace iu::cli {
namespace {

using T = FlagType;

FlagSpec flag(std::string name, T type, std::string def, std::string help,
              std::vector<std::string> env = {}) {
  FlagSpec f;
  f.name = std::move(name);
  f.type = type;
  f.default_value = std::move(def);
  f.help = std::move(help);
  f.env = std::move(env);
  return f;
}

FlagSpec choice(std::string name, std::string def, std::vector<std::string> choices,
                std::string help, std::vector<std::string> env = {}) {
  FlagSpec f = flag(std::move(name), T::choice, std::move(def), std::move(help), std::move(env));
  f.choices = std::move(choices);
  return f;
}

FlagSpec alias(FlagSpec f, std::vector<std::string> aliases) {
  f.aliases = std::move(aliases);
  return f;
}

FlagSpec repeatable(FlagSpec f) {
  f.repeatable = true;
  return f;
}

// The webhook server flags shared by `run --enable-webhook` and `webhook`.
void add_webhook_server_flags(std::vector<FlagSpec>& v, const std::string& default_port) {
  v.push_back(flag("webhook-port", T::integer, default_port, "port of the webhook endpoint",
                   {"WEBHOOK_PORT"}));
  v.push_back(flag("webhook-require-secret", T::boolean, "true",
                   "refuse webhook types that have no secret configured",
                   {"WEBHOOK_REQUIRE_SECRET"}));
  for (const char* type :
       {"docker", "ghcr", "quay", "harbor", "aliyun-acr", "acr", "cloudevents", "registry"}) {
    std::string env;
    for (const char* p = type; *p != '\0'; ++p)
      env += *p == '-' ? '_' : static_cast<char>(std::toupper(*p));
    v.push_back(flag(std::string(type) + "-webhook-secret", T::string, "",
                     std::string("secret for webhooks of type ") + type,
                     {env + "_WEBHOOK_SECRET"}));
  }
  v.push_back(flag("webhook-ratelimit-allowed", T::integer, "0",
                   "accepted webhook requests per hour (0 = unlimited)",
                   {"WEBHOOK_RATELIMIT_ALLOWED"}));
  v.push_back(
      flag("webhook-coalesce-window", T::duration, "2s", "merge window for webhook events"));
  v.push_back(flag("disable-tls", T::boolean, "false", "serve the webhook over plain HTTP",
                   {"DISABLE_TLS"}));
  v.push_back(choice("tlsminversion", "1.3", {"1.1", "1.2", "1.3"}, "minimum TLS version",
                     {"TLS_MIN_VERSION"}));
  v.push_back(choice("tlsmaxversion", "1.3", {"1.1", "1.2", "1.3"}, "maximum TLS version",
                     {"TLS_MAX_VERSION"}));
  v.push_back(flag("tlsciphers", T::string, "", "colon-separated cipher list (TLS <= 1.2)",
                   {"TLS_CIPHERS"}));
  v.push_back(
      flag("enable-http2", T::boolean, "false", "HTTP/2 for the metrics and webhook servers"));
}

}  // namespace

std::vector<FlagSpec> common_flags() {
  return {
      choice("loglevel", "info", {"trace", "debug", "info", "warn", "error"}, "log level",
             {"IMAGE_UPDATER_LOGLEVEL"}),
      choice("logformat", "text", {"text", "json"}, "log format", {"IMAGE_UPDATER_LOGFORMAT"}),
      repeatable(flag("plugin-dir", T::list, IU_DEFAULT_PLUGIN_DIR,
                      "plugin directory; repeatable or colon-separated")),
  };
}

std::vector<FlagSpec> run_flags() {
  std::vector<FlagSpec> v = common_flags();
  v.push_back(choice("source", "crd", {"crd", "annotations", "dir"}, "configuration source"));
  v.push_back(flag("dir", T::string, "", "root directory for --source dir"));
  v.push_back(flag("report", T::string, "", "write a JSON summary of each pass to this path"));
  v.push_back(flag("kubeconfig", T::string, "",
                   "Kubernetes client configuration (default: in-cluster)", {"KUBECONFIG"}));
  v.push_back(flag("argocd-namespace", T::string, "", "Argo CD control-plane namespace",
                   {"ARGOCD_NAMESPACE"}));
  v.push_back(
      alias(flag("watch-namespaces", T::string, "", "\"\" own namespace, \"*\" all, or ns1,ns2"),
            {"application-namespace"}));
  v.push_back(repeatable(flag("match-application-name", T::list, "",
                              "glob over Application names (annotations source); repeatable")));
  v.push_back(
      flag("match-application-label", T::string, "", "label selector (annotations source)"));
  v.push_back(flag("interval", T::duration, "2m", "time between passes; 0 = single pass"));
  v.push_back(flag("once", T::boolean, "false", "single pass, then exit"));
  v.push_back(flag("dry-run", T::boolean, "false", "evaluate and log, never write"));
  v.push_back(choice("loop", "cycle", {"cycle", "continuous"}, "loop style"));
  v.push_back(alias(flag("max-concurrency", T::integer, "10",
                         "applications processed in parallel; 0 = auto", {"MAX_CONCURRENT_APPS"}),
                    {"max-concurrent-apps"}));
  v.push_back(flag("schedule", T::string, "default",
                   "order of work: default, lru, fail-first or a scheduler plugin"));
  v.push_back(
      flag("cooldown", T::duration, "0", "deprioritise applications updated within this duration"));
  v.push_back(flag("per-repo-cap", T::integer, "0",
                   "at most N applications per write-back repository per pass; 0 = unlimited"));
  v.push_back(flag("max-concurrent-reconciles", T::integer, "1",
                   "accepted for compatibility; no effect", {"MAX_CONCURRENT_RECONCILES"}));
  v.push_back(flag("warmup-cache", T::boolean, "true", "first pass is read-only and fills caches"));
  v.push_back(flag("registries-conf-path", T::string, "/app/config/registries.conf",
                   "registries configuration"));
  v.push_back(flag("cache-dir", T::string, "/tmp/argocd-image-updater-cache",
                   "persistent metadata cache; \"\" = memory only"));
  v.push_back(flag("cache-max-entries", T::integer, "100000", "metadata cache bound (LRU)"));
  v.push_back(flag("disable-kube-events", T::boolean, "false", "no Kubernetes Events",
                   {"IMAGE_UPDATER_KUBE_EVENTS"}));
  v.push_back(flag("metrics-bind-address", T::string, "0", "metrics address, e.g. :8080; 0 = off"));
  v.push_back(flag("metrics-secure", T::boolean, "true",
                   "HTTPS plus TokenReview/SubjectAccessReview on /metrics"));
  v.push_back(
      flag("health-probe-bind-address", T::string, ":8081", "address of /healthz and /readyz"));
  v.push_back(
      flag("leader-election", T::boolean, "true", "use a Lease so only one replica writes"));
  v.push_back(flag("leader-election-namespace", T::string, "",
                   "namespace of the Lease (default: pod namespace)"));
  v.push_back(flag("leader-election-id", T::string, "c21b75f2.argoproj.io", "Lease name"));
  v.push_back(flag("shard-count", T::integer, "1", "number of shards"));
  v.push_back(flag("shard-index", T::string, "auto", "integer, ordinal or auto"));
  v.push_back(flag("git-commit-user", T::string, "argocd-image-updater",
                   "commit author and committer name", {"GIT_COMMIT_USER"}));
  v.push_back(flag("git-commit-email", T::string, "noreply@argoproj.io",
                   "commit author and committer email", {"GIT_COMMIT_EMAIL"}));
  v.push_back(flag("git-commit-signing-key", T::string, "",
                   "GPG key id (openpgp) or private key path (ssh)", {"GIT_COMMIT_SIGNING_KEY"}));
  v.push_back(choice("git-commit-signing-method", "openpgp", {"openpgp", "ssh"},
                     "commit signing method", {"GIT_COMMIT_SIGNING_METHOD"}));
  v.push_back(flag("git-commit-sign-off", T::boolean, "false", "add a Signed-off-by trailer",
                   {"GIT_COMMIT_SIGN_OFF"}));
  v.push_back(flag("git-commit-message-path", T::string, "/app/config/commit.template",
                   "commit message template"));
  v.push_back(choice("git-commit-method", "git", {"git", "api"}, "git or api (GitHub GraphQL)",
                     {"GIT_COMMIT_METHOD"}));
  v.push_back(flag("git-push-attempts", T::integer, "5", "attempts to land a rejected push"));
  v.push_back(flag("git-batch-window", T::duration, "5s",
                   "continuous loop: flush a batch after this quiet period"));
  v.push_back(flag("git-batch-max-wait", T::duration, "60s",
                   "continuous loop: flush a batch at the latest after this age"));
  v.push_back(
      flag("tag-list-ttl", T::duration, "30s", "continuous loop: reuse of a fetched tag list"));
  v.push_back(
      flag("tag-digest-ttl", T::duration, "24h", "revalidation period of cached tag digests"));
  v.push_back(flag("registry-max-retries", T::integer, "3", "retries per registry request"));
  v.push_back(
      flag("registry-max-retry-after", T::duration, "60s", "longest Retry-After we wait for"));
  v.push_back(
      flag("metadata-concurrency", T::integer, "20", "parallel metadata fetches per image"));
  v.push_back(flag("enable-webhook", T::boolean, "false", "serve the webhook endpoint inside run",
                   {"ENABLE_WEBHOOK"}));
  add_webhook_server_flags(v, "8082");
  return v;
}

std::vector<FlagSpec> webhook_flags() {
  std::vector<FlagSpec> v = common_flags();
  v.push_back(choice("source", "crd", {"crd", "annotations", "dir"}, "configuration source"));
  v.push_back(flag("dir", T::string, "", "root directory for --source dir"));
  v.push_back(flag("kubeconfig", T::string, "", "Kubernetes client configuration", {"KUBECONFIG"}));
  v.push_back(flag("argocd-namespace", T::string, "", "Argo CD control-plane namespace",
                   {"ARGOCD_NAMESPACE"}));
  v.push_back(
      alias(flag("watch-namespaces", T::string, "", "\"\" own namespace, \"*\" all, or ns1,ns2"),
            {"application-namespace"}));
  v.push_back(flag("registries-conf-path", T::string, "/app/config/registries.conf",
                   "registries configuration"));
  v.push_back(flag("max-concurrent-updaters", T::integer, "1", "events processed in parallel"));
  // Off by default: the webhook endpoint answers GET /healthz itself (SPEC §12.1). Without these
  // flags the command took run's defaults and always bound :8081.
  v.push_back(flag("health-probe-bind-address", T::string, "0",
                   "address of /healthz and /readyz; 0 = off (the webhook port has /healthz)"));
  v.push_back(flag("metrics-bind-address", T::string, "0", "metrics address, e.g. :8443; 0 = off"));
  v.push_back(flag("metrics-secure", T::boolean, "true",
                   "HTTPS plus TokenReview/SubjectAccessReview on /metrics"));
  add_webhook_server_flags(v, "8080");
  return v;
}

std::vector<FlagSpec> test_flags() {
  std::vector<FlagSpec> v;
  v.push_back(choice("loglevel", "debug", {"trace", "debug", "info", "warn", "error"}, "log level",
                     {"IMAGE_UPDATER_LOGLEVEL"}));
  v.push_back(
      choice("logformat", "text", {"text", "json"}, "log format", {"IMAGE_UPDATER_LOGFORMAT"}));
  v.push_back(repeatable(flag("plugin-dir", T::list, IU_DEFAULT_PLUGIN_DIR,
                              "plugin directory; repeatable or colon-separated")));
  v.push_back(flag("update-strategy", T::string, "semver", "update strategy"));
  v.push_back(flag("semver-constraint", T::string, "", "semver constraint (or put it in IMAGE)"));
  v.push_back(flag("allow-tags", T::string, "", "regexp:<RE2> or any"));
  v.push_back(repeatable(flag("ignore-tags", T::list, "", "glob of tags to ignore; repeatable")));
  v.push_back(
      repeatable(flag("platforms", T::list, "", "os/arch[/variant]; repeatable or comma list")));
  v.push_back(flag("credentials", T::string, "",
                   "credential reference (env:, ext:, secret:, pullsecret:)"));
  v.push_back(flag("rate-limit", T::integer, "0",
                   "requests per second (overrides the registry's limit; 0 = keep)"));
  v.push_back(flag("registries-conf-path", T::string, "",
                   "registries configuration (\"\" = default path if present)"));
  v.push_back(flag("kubeconfig", T::string, "", "Kubernetes client configuration", {"KUBECONFIG"}));
  v.push_back(flag("cache-dir", T::string, "/tmp/argocd-image-updater-cache",
                   "persistent metadata cache; \"\" = memory only"));
  return v;
}

}  // namespace iu::cli
