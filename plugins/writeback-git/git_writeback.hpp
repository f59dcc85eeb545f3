// The `git` write-back (SPEC §9.4-§9.8): the plugin class behind writeback/git.
//
//   batch_key     "<normalized repository URL>@<push branch>", so the host hands every intent
//                 for one repository and branch to one write_batch call;
//   write_batch   one fetch, every intent applied to the tip, one commit, one push (see
//                 batch_writer.hpp), one result per intent;
//   read_current  what the target files hold at the push branch tip (the base tip when the push
//                 branch does not exist yet). Fetches are reused for read_cache_ttl, so a pass
//                 over many applications of one repository fetches once.
//
// Thread-safe (IU_FACTORY_CONCURRENT): calls for different repositories run in parallel; calls
// for the same repository serialise on its cache folder's lock.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "commit_message.hpp"
#include "iu/plugin.hpp"
#include "libgit.hpp"
#include "metrics.hpp"
#include "remote.hpp"
#include "settings.hpp"
#include "signing.hpp"

namespace iu::gitwb {

class GitWriteback : public iu::sdk::Writeback {
 public:
  // Reads and checks the configuration, including the signing setup (an unusable one throws
  // INVALID_ARGUMENT, which the host reports at startup).
  explicit GitWriteback(iu::sdk::Call& call);

  std::string batch_key(iu::sdk::Call& call, const iu_write_intent& intent) override;
  void write_batch(iu::sdk::Call& call, std::span<const iu_write_intent* const> intents,
                   iu::sdk::WriteResultSink& out) override;
  std::vector<std::pair<uint64_t, iu::sdk::CurrentValue>> read_current(
      iu::sdk::Call& call, const iu_write_intent& intent) override;

 private:
  // Remote facts remembered per normalized URL.
  struct Known {
    std::chrono::steady_clock::time_point listed;  // when default_branch was learnt
    std::string default_branch;
    std::chrono::steady_clock::time_point fetched;  // when `heads` and `fetched_branches` were
    RemoteHeads heads;
    std::set<std::string> fetched_branches;
  };

  std::string default_branch(const iu::sdk::Call& call, const struct Intent& intent);

  LibGit libgit_;
  Config config_;
  std::unique_ptr<Signer> signer_;
  Metrics metrics_;
  CommitMessages messages_;
  std::mutex mu_;
  std::map<std::string, Known> known_;
};

}  // namespace iu::gitwb
