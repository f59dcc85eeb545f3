#include "registries/config_watcher.hpp"

#include "log/log.hpp"
#include "metrics/registry.hpp"
#include "registries/registries_conf.hpp"

namespace iu::registries {
namespace {

void count_reload(bool success) {
  static const uint64_t id = metrics::Registry::global().declare(
      metrics::Type::counter, "argocd_image_updater_config_reloads_total",
      "Reloads of changed configuration files by result", {"result"});
  metrics::Registry::global().update(id, {success ? "success" : "error"}, 1);
}

std::shared_ptr<EndpointTable> build(const std::optional<std::string>& content,
                                     const TableOptions& options, const EndpointTable* previous) {
  RegistriesConf conf;
  if (content) conf = parse_registries_conf(*content);
  log_conf_warnings(conf.warnings);
  return EndpointTable::with_builtins(std::move(conf.endpoints), options, previous);
}

}  // namespace

ConfigWatcher::ConfigWatcher(WatcherOptions options) : options_(std::move(options)) {
  last_content_ = read_registries_conf(options_.path);
  table_ = build(last_content_, options_.table, nullptr);
  log::info("registries configuration loaded",
            {{"path", options_.path.string()},
             {"present", last_content_ ? "true" : "false"},
             {"registries", std::to_string(table_->endpoints().size())}});
}

ConfigWatcher::~ConfigWatcher() { stop(); }

std::shared_ptr<EndpointTable> ConfigWatcher::table() const {
  std::lock_guard lock(mu_);
  return table_;
}

std::string ConfigWatcher::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

ConfigWatcher::Check ConfigWatcher::check_now() {
  std::lock_guard check_lock(check_mu_);
  std::optional<std::string> content;
  try {
    content = read_registries_conf(options_.path);
  } catch (const ConfigError& e) {
    // An unreadable file is reported once, like an invalid one, until something changes.
    if (read_failed_ && last_error() == e.what()) return Check::kUnchanged;
    read_failed_ = true;
    return reject(e.what());
  }
  if (!read_failed_ && content == last_content_) return Check::kUnchanged;
  read_failed_ = false;
  last_content_ = content;
  std::shared_ptr<EndpointTable> next;
  try {
    next = build(content, options_.table, table().get());
  } catch (const ConfigError& e) {
    return reject(e.what());
  }
  {
    std::lock_guard lock(mu_);
    table_ = next;
    last_error_.clear();
  }
  count_reload(true);
  log::info(
      "registries configuration reloaded",
      {{"path", options_.path.string()}, {"registries", std::to_string(next->endpoints().size())}});
  if (options_.on_reload) options_.on_reload(next);
  return Check::kReloaded;
}

ConfigWatcher::Check ConfigWatcher::reject(const std::string& error) {
  {
    std::lock_guard lock(mu_);
    last_error_ = error;
  }
  count_reload(false);
  log::error(error, {{"path", options_.path.string()}});
  log::warn("keeping the previous registries configuration", {{"path", options_.path.string()}});
  return Check::kRejected;
}

void ConfigWatcher::start() {
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token stop) {
    while (true) {
      {
        std::unique_lock lock(stop_mu_);
        if (stop_cv_.wait_for(lock, stop, options_.interval, [&] { return stop.stop_requested(); }))
          return;
      }
      check_now();
    }
  });
}

void ConfigWatcher::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

}  // namespace iu::registries
