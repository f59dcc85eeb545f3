// One batch (SPEC §9.7, §9.8): every intent for one (repository, push branch), landed with one
// fetch, one commit and one push; after a rejected push: fetch the new tip, re-apply the
// semantic edits, commit and push again, up to push_attempts in total with full-jitter back-off.
// Nothing is ever force-pushed (see remote.hpp).
//
// Results: an intent that cannot be applied fails alone; the others are committed. A failure
// of the whole batch (authentication, network, attempts exhausted) fails every intent that was
// not already failed. Error messages have the form
//   git <repository>@<branch>: <file>:<line>:<col>: <problem>
#pragma once

#include <span>
#include <string>
#include <vector>

#include "commit_message.hpp"
#include "iu/plugin.hpp"
#include "metrics.hpp"
#include "settings.hpp"
#include "signing.hpp"

namespace iu::gitwb {

// Instance-wide facts shared by the batches of one plugin instance.
struct WriterContext {
  const Config& config;
  const Signer* signer;  // null: unsigned commits
  const Metrics& metrics;
  const CommitMessages& messages;
};

// Writes one batch; returns one result per intent, in order.
std::vector<iu::sdk::WriteResult> write_batch(const WriterContext& ctx, const iu::sdk::Call& call,
                                              std::span<const iu_write_intent* const> raw);

}  // namespace iu::gitwb
