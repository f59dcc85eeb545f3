// The write-back queue of one pass (SPEC §9.7): intents are grouped by (write-back
// implementation, the plugin's batch key) and each group is handed over once — for git one
// fetch, one commit and one push per (repository, branch). GIT_BATCH_DISABLE=true gives every
// application its own batch. Intents are kept until their write is acknowledged.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "engine/write_intent.hpp"
#include "plugin_host/kinds.hpp"

namespace iu::engine {

struct WriteOutcome {
  std::string app_namespace, app_name;
  iu_status status = IU_STATUS_OK;
  std::string message;
  uint64_t changes_applied = 0;
  size_t changes = 0;
};

class WriteQueue {
 public:
  using WritebackLookup = std::function<const plugin_host::WritebackInstance&(const std::string&)>;
  WriteQueue(WritebackLookup writeback, bool batch_disabled)
      : writeback_(std::move(writeback)), batch_disabled_(batch_disabled) {}

  // Queues an intent for `plugin`. Thread-safe. Throws PluginError when the plugin cannot give
  // a batch key (the application's write fails; nothing is queued).
  void enqueue(const std::string& plugin, WriteIntent intent);

  size_t pending() const;

  // Hands every group to its plugin (groups in key order) and empties the queue. One outcome
  // per intent; a failing batch fails each of its intents with the batch's error.
  std::vector<WriteOutcome> flush();

 private:
  WritebackLookup writeback_;
  bool batch_disabled_;
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::vector<WriteIntent>> groups_;
};

}  // namespace iu::engine
