// The `argocd` write-back (SPEC §9.3): edits the Application object through the Kubernetes API
// — read, apply the semantic edits to the selected source, update with the read
// resourceVersion. A 409 Conflict re-reads and re-applies the same edits (those already
// satisfied drop out), up to 5 rounds with 10 ms x 2^n jittered back-off; then the
// application's write fails with CONFLICT. Nothing is written when every edit is already
// satisfied (changes_applied 0).
//
// Intents are never batched (each application is its own object). Thread-safe
// (IU_FACTORY_CONCURRENT): calls share only the connection pool.
//
// With the `dir` source there is no API: an intent naming its `application_file` is written into
// that file instead (file_writeback.hpp), and intents of one file form one batch.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "api.hpp"
#include "iu/plugin.hpp"

namespace iu::argocdwb {

class ArgocdWriteback : public iu::sdk::Writeback {
 public:
  explicit ArgocdWriteback(iu::sdk::Call& call);

  std::string batch_key(iu::sdk::Call& call, const iu_write_intent& intent) override;
  void write_batch(iu::sdk::Call& call, std::span<const iu_write_intent* const> intents,
                   iu::sdk::WriteResultSink& out) override;

 private:
  iu::sdk::WriteResult write_one(iu::sdk::Call& call, const iu_write_intent& intent);

  std::unique_ptr<ApiClient> api_;  // null when kube_server is not configured
};

}  // namespace iu::argocdwb
