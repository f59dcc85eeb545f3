// Hot reload of registries.conf (SPEC §7.1, §16 row 18): the file is read again every interval;
// a valid new version replaces the endpoint table atomically for new lookups, an invalid one is
// rejected with one error log line and the previous table stays active. Each reload attempt of
// a changed file counts in argocd_image_updater_config_reloads_total{result="success"|"error"}.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "registries/endpoint_table.hpp"

namespace iu::registries {

struct WatcherOptions {
  std::filesystem::path path;                  // --registries-conf-path
  std::chrono::milliseconds interval{30'000};  // how often the file is checked
  TableOptions table;
  // Called with the new table after each successful reload (on the thread that checked).
  std::function<void(const std::shared_ptr<EndpointTable>&)> on_reload;
};

class ConfigWatcher {
 public:
  enum class Check { kUnchanged, kReloaded, kRejected };

  // Loads the file now (missing = built-ins only). Throws ConfigError when it is invalid or
  // unreadable: fatal at startup (exit 2). Does not start the background thread.
  explicit ConfigWatcher(WatcherOptions options);
  ~ConfigWatcher();  // stops the thread
  ConfigWatcher(const ConfigWatcher&) = delete;
  ConfigWatcher& operator=(const ConfigWatcher&) = delete;

  // The table in effect now. Callers keep the snapshot they got for the work at hand.
  std::shared_ptr<EndpointTable> table() const;
  std::shared_ptr<const Endpoint> lookup(std::string_view registry,
                                         std::string_view repository = {}) const {
    return table()->lookup(registry, repository);
  }

  // Reads the file once and acts on a change: content equal to the last version seen (applied
  // or rejected) is kUnchanged, so a bad version is reported once, not every interval. A file
  // that disappears means built-ins only.
  Check check_now();

  // The message of the last rejected version, "" when the current file was applied.
  std::string last_error() const;

  // Starts / stops checking every `interval` on a background thread. stop() returns promptly.
  void start();
  void stop();

 private:
  Check reject(const std::string& error);

  WatcherOptions options_;
  mutable std::mutex mu_;  // guards table_ and last_error_
  std::mutex check_mu_;    // one check at a time; guards last_content_
  std::shared_ptr<EndpointTable> table_;
  std::optional<std::string> last_content_;  // nullopt = file absent
  bool read_failed_ = false;                 // the last check could not read the file
  std::string last_error_;
  std::mutex stop_mu_;
  std::condition_variable_any stop_cv_;
  std::jthread thread_;
};

}  // namespace iu::registries
