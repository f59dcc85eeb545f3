#include "kube/kube_side.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "kube/cr_status.hpp"
#include "kube/secret_source.hpp"
#include "kube/shard.hpp"
#include "log/log.hpp"
#include "metrics/registry.hpp"

namespace iu::kube {
namespace fs = std::filesystem;
namespace {

// Writes `content` to dir/name, readable by this user only, replacing it atomically (a reader
// sees the old or the new content, never a partial one).
std::string private_file(const fs::path& dir, const char* name, const std::string& content) {
  fs::path p = dir / name;
  fs::path tmp = dir / (std::string(name) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + p.string());
  }
  fs::rename(tmp, p);
  return p.string();
}

// Offers a client certificate and key to the write-back plugin as private files.
template <typename Settings>
void offer_client_cert(Settings& settings, const fs::path& dir, const std::string& cert_pem,
                       const std::string& key_pem) {
  settings["kube_client_cert_file"] = private_file(dir, "client.crt", cert_pem);
  settings["kube_client_key_file"] = private_file(dir, "client.key", key_pem);
}

constexpr std::string_view kPrivateDirPrefix = "/tmp/argocd-image-updater-kube-";

// A process killed with SIGKILL cannot remove its private directory: those of dead processes
// (the pid is part of the name) of this user are removed at the next start.
void remove_orphaned_private_dirs() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/tmp", ec)) {
    const std::string path = entry.path().string();
    if (path.rfind(kPrivateDirPrefix, 0) != 0) continue;
    const std::string rest = path.substr(kPrivateDirPrefix.size());
    const size_t dash = rest.find('-');
    if (dash == std::string::npos || dash == 0 || rest.find_first_not_of("0123456789") != dash)
      continue;
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid()) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(rest.substr(0, dash)));
    if (kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to judge)
    std::error_code rm;
    fs::remove_all(entry.path(), rm);
  }
}

std::string hostname() {
  if (const char* pod = std::getenv("POD_NAME"); pod != nullptr && *pod != '\0') return pod;
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) return "unknown";
  return host;
}

}  // namespace

KubeSide::KubeSide(SideOptions o) : options_(std::move(o)) {
  if (options_.shard_count < 1) throw std::invalid_argument("--shard-count: must be at least 1");
  ClusterConfig cc = load_cluster_config(options_.kubeconfig);
  argocd_namespace_ = !options_.argocd_namespace.empty() ? options_.argocd_namespace
                      : !cc.ns.empty()                   ? cc.ns
                                                         : "argocd";
  namespaces_ = parse_watch_namespaces(options_.watch_namespaces, argocd_namespace_);
  log::info("Kubernetes API: " + cc.server + " from " + cc.description);

  // writeback-argocd settings (files, never inline secrets).
  remove_orphaned_private_dirs();
  std::string tmpl = std::string(kPrivateDirPrefix) + std::to_string(getpid()) + "-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr)
    throw std::runtime_error("cannot create a private directory under /tmp");
  private_dir_.path = tmpl;
  writeback_settings_["kube_server"] = cc.server;
  writeback_settings_["kube_insecure"] = cc.insecure ? "true" : "false";
  const bool exec = cc.exec.has_value();
  if (exec) {
    // Filled (and refreshed every pass) by sync_plugin_credentials().
  } else if (!cc.token_file.empty())
    writeback_settings_["kube_token_file"] = cc.token_file;
  else if (!cc.token.empty())
    writeback_settings_["kube_token_file"] = private_file(private_dir_.path, "token", cc.token);
  if (!cc.ca_pem.empty())
    writeback_settings_["kube_ca_file"] = private_file(private_dir_.path, "ca.crt", cc.ca_pem);
  if (!cc.client_cert_pem.empty())
    offer_client_cert(writeback_settings_, private_dir_.path, cc.client_cert_pem,
                      cc.client_key_pem);

  client_ = std::make_unique<Client>(std::move(cc));
  if (exec) sync_plugin_credentials();
  secrets_ = std::make_shared<KubeSecretSource>(*client_);
  const std::string identity = make_identity();
  if (options_.events && !options_.dry_run)
    events_ = std::make_unique<EventRecorder>(*client_, identity);

  // Shards and Leases.
  std::vector<LeaseCandidate> candidates;
  const int n = options_.shard_count;
  const std::string& idx = options_.shard_index;
  if (n == 1) {
    candidates.push_back({options_.lease_id, 0});
  } else if (idx == "auto") {
    if (!options_.leader_election)
      throw std::invalid_argument(
          "--shard-index auto: needs --leader-election (shards are claimed through Leases); "
          "give an integer or ordinal");
    const int offset = static_cast<int>(fnv1a64(hostname()) % static_cast<uint64_t>(n));
    for (int k = 0; k < n; ++k) {
      int s = (offset + k) % n;
      candidates.push_back({shard_lease_name(options_.lease_id, s, n), s});
    }
  } else {
    int s = 0;
    if (idx == "ordinal") {
      std::string err;
      auto ord = ordinal_from_hostname(hostname(), n, &err);
      if (!ord) throw std::invalid_argument(err);
      s = *ord;
    } else {
      try {
        size_t used = 0;
        s = std::stoi(idx, &used);
        if (used != idx.size()) throw std::invalid_argument("trailing text");
      } catch (const std::exception&) {
        throw std::invalid_argument("--shard-index: \"" + idx +
                                    "\" is not an integer, ordinal or auto");
      }
      if (s < 0 || s >= n)
        throw std::invalid_argument("--shard-index: " + idx + " is not below --shard-count " +
                                    std::to_string(n));
    }
    fixed_shard_ = s;
    candidates.push_back({shard_lease_name(options_.lease_id, s, n), s});
  }
  if (options_.leader_election) {
    ElectionOptions eo = options_.election_timing;
    eo.ns = options_.lease_namespace.empty() ? argocd_namespace_ : options_.lease_namespace;
    eo.candidates = std::move(candidates);
    eo.identity = identity;
    eo.shard_count = n;
    elector_ = std::make_unique<LeaderElector>(*client_, std::move(eo));
    elector_->start();
  }
}

KubeSide::~KubeSide() {
  stopping_ = true;
  for (auto& t : watchers_) t.join();
  if (elector_) elector_->stop(true);
}

KubeSide::PrivateDir::~PrivateDir() {
  std::error_code ec;
  if (!path.empty()) fs::remove_all(path, ec);
}

std::unique_ptr<RefreshHandover> KubeSide::start_handover(RefreshHandover::Affected affected) {
  if (options_.shard_count <= 1 && !elector_) return nullptr;
  RefreshHandover::Options o;
  o.source.kind = options_.kind;
  o.source.argocd_namespace = argocd_namespace_;
  o.source.namespaces = namespaces_;
  o.source.application_label_selector = options_.application_label_selector;
  o.shard_count = options_.shard_count;
  o.held_shard = [this] { return current_shard(); };
  o.dry_run = options_.dry_run;
  o.affected = std::move(affected);
  return std::make_unique<RefreshHandover>(*client_, std::move(o));
}

int KubeSide::current_shard() const {
  if (elector_) return elector_->held_shard();
  return fixed_shard_;
}

KubeSide::Gate KubeSide::gate(std::chrono::milliseconds wait) {
  if (!elector_) return Gate::run;
  const auto until = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (elector_->lost()) return Gate::lost;
    if (elector_->held_shard() >= 0) return Gate::run;
    if (std::chrono::steady_clock::now() >= until) return Gate::standby;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

engine::SnapshotLoader KubeSide::loader() {
  return [this] { return load(); };
}

engine::PassObserver KubeSide::observer() {
  return [this](const engine::PassRecord& r) { on_pass(r); };
}

void KubeSide::sync_plugin_credentials() {
  Client::Credentials c = client_->credentials();  // runs the exec plugin when due
  if (c.token == plugin_credentials_.token &&
      c.client_cert_pem == plugin_credentials_.client_cert_pem)
    return;
  if (!c.token.empty())
    writeback_settings_["kube_token_file"] = private_file(private_dir_.path, "token", c.token);
  if (!c.client_cert_pem.empty())
    offer_client_cert(writeback_settings_, private_dir_.path, c.client_cert_pem, c.client_key_pem);
  plugin_credentials_ = std::move(c);
}

config::Snapshot KubeSide::load() {
  if (client_->config().exec) sync_plugin_credentials();
  SourceOptions so;
  so.kind = options_.kind;
  so.argocd_namespace = argocd_namespace_;
  so.namespaces = namespaces_;
  so.application_label_selector = options_.application_label_selector;
  KubeSnapshot ks = load_snapshot(*client_, so);
  if (options_.shard_count > 1) {
    // SPEC §11.2: argocd_image_updater_shard_info{shard_index,shard_count} names this replica's
    // shard.
    auto& metrics = metrics::Registry::global();
    static const uint64_t shard_info = metrics.declare(
        metrics::Type::gauge, "argocd_image_updater_shard_info",
        "The shard this replica processes (value 1)", {"shard_index", "shard_count"});
    metrics.update(shard_info,
                   {std::to_string(current_shard()), std::to_string(options_.shard_count)}, 1);
    // Counts over the whole fleet first, then only this shard's applications are kept.
    std::map<std::string, std::pair<int, int>> counts;
    if (options_.kind == config::SourceKind::kCrd) {
      config::MatchOptions mo;
      mo.source = options_.kind;
      mo.argocd_namespace = argocd_namespace_;
      for (const auto& m : config::resolve(ks.snapshot, mo, nullptr)) {
        auto& c = counts[m.updater.ns + "/" + m.updater.name];
        ++c.first;
        c.second += static_cast<int>(m.images.size());
      }
    }
    const int shard = current_shard();
    std::erase_if(ks.snapshot.applications, [&](const config::Application& a) {
      return shard < 0 || shard_of(a.ref.ns, a.ref.name, options_.shard_count) != shard;
    });
    std::lock_guard lock(mu_);
    fleet_counts_ = std::move(counts);
  }
  // Reconciling=True on every CR this pass covers.
  if (!options_.dry_run && options_.kind == config::SourceKind::kCrd) {
    const auto now = std::chrono::system_clock::now();
    for (const auto& cr : ks.snapshot.updaters) {
      const auto& info = ks.objects[object_key("ImageUpdater", cr.ref.ns, cr.ref.name)];
      try {
        client_->merge_patch(
            resource_path(kImageUpdaterGV, "imageupdaters", cr.ref.ns, cr.ref.name, "status"),
            reconciling_patch(info.status_json, now));
      } catch (const std::exception& e) {
        log::warn(std::string("cannot update the status: ") + e.what(),
                  {{"imageUpdater_namespace", cr.ref.ns}, {"imageUpdater_name", cr.ref.name}});
      }
    }
  }
  {
    std::lock_guard lock(mu_);
    objects_ = std::move(ks.objects);
  }
  return std::move(ks.snapshot);
}

}  // namespace iu::kube
