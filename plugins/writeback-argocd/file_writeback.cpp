#include "file_writeback.hpp"

#include <chrono>
#include <random>
#include <thread>

#include "app_file_edit.hpp"
#include "intent_fields.hpp"
#include "manifest_file.hpp"

namespace iu::argocdwb {
namespace {

// An intent whose edits changed the text and wait for the file to be replaced.
struct Pending {
  uint64_t index = 0;
  std::string who;
  uint64_t changed = 0;
};

void fail_all(const std::vector<IndexedIntent>& intents, iu_status status, const std::string& why,
              iu::sdk::WriteResultSink& out) {
  for (const auto& [index, intent] : intents) {
    iu::sdk::WriteResult r;
    r.status = status;
    r.message = application_display(*intent) + ": " + why;
    out.put(index, r);
  }
}

}  // namespace

void write_file_group(iu::sdk::Call& call, const std::string& file,
                      const std::vector<IndexedIntent>& intents, iu::sdk::WriteResultSink& out) {
  std::lock_guard file_lock(manifest_lock(file));
  thread_local std::mt19937 rng{std::random_device{}()};
  std::chrono::milliseconds backoff{10};
  constexpr int kRounds = 5;
  for (int round = 1; round <= kRounds; ++round) {
    if (call.cancelled()) return fail_all(intents, IU_STATUS_CANCELLED, "cancelled", out);
    std::string error;
    bool missing = false;
    const std::optional<std::string> original = read_manifest(file, &error, &missing);
    if (!original)
      return fail_all(intents, missing ? IU_STATUS_NOT_FOUND : IU_STATUS_INTERNAL, error, out);

    // Apply every intent to the text in turn; results of intents that need no write are final.
    std::string text = *original;
    std::vector<std::pair<uint64_t, iu::sdk::WriteResult>> done;
    std::vector<Pending> pending;
    for (const auto& [index, intent] : intents) {
      const std::string who = application_display(*intent);
      AppDocument doc;
      doc.file = file;
      doc.ns = std::string(iu::sdk::view(intent->app_namespace));
      doc.name = std::string(iu::sdk::view(intent->app_name));
      doc.default_namespace = setting(*intent, "argocd_namespace");
      if (doc.default_namespace.empty()) doc.default_namespace = "argocd";
      iu::sdk::WriteResult r;
      try {
        EditOutcome edited =
            apply_edits_in_file(text, doc, setting(*intent, "source_field"),
                                setting(*intent, "source_type"), edits_of(*intent));
        if (edited.changed == 0) {
          r.message = who + ": already up to date in " + file;
        } else if (setting(*intent, "dry_run") == "true") {
          r.message = who + ": dry run, " + std::to_string(edited.changed) +
                      " change(s) not written to " + file;
        } else {
          text = std::move(edited.object);
          pending.push_back({index, who, edited.changed});
          continue;
        }
      } catch (const DocumentNotFound& e) {
        r.status = IU_STATUS_NOT_FOUND;
        r.message = who + ": " + e.what();
      } catch (const EditError& e) {
        r.status = IU_STATUS_INVALID_ARGUMENT;
        r.message = who + ": " + e.what();
      }
      done.emplace_back(index, std::move(r));
    }

    if (!pending.empty()) {
      // Optimistic concurrency: replace only what we read. Another writer in between (an
      // editor, a `git pull` in the tree) makes this round start over on its bytes.
      const std::optional<std::string> now = read_manifest(file, &error);
      if (now != original && round < kRounds) {
        if (call.log_enabled(IU_LOG_DEBUG))
          call.debug(file + ": changed by another writer while being edited (round " +
                     std::to_string(round) + "), re-reading");
        std::this_thread::sleep_for(std::chrono::milliseconds{
            static_cast<long long>(static_cast<double>(backoff.count()) *
                                   std::uniform_real_distribution<double>(0.5, 1.5)(rng))});
        backoff *= 2;
        continue;
      }
      iu::sdk::WriteResult base;
      if (now != original) {
        base.status = IU_STATUS_CONFLICT;
        base.message = file + " kept changing while being edited (" + std::to_string(kRounds) +
                       " rounds); giving up for this pass";
      } else if (!replace_manifest(file, text, &error)) {
        base.status = IU_STATUS_INTERNAL;
        base.message = error;
      }
      for (const Pending& p : pending) {
        iu::sdk::WriteResult r = base;
        if (base.status == IU_STATUS_OK) {
          r.changes_applied = p.changed;
          r.message = "updated in " + file + " (" + std::to_string(p.changed) + " change(s))";
        }
        r.message = p.who + ": " + r.message;
        done.emplace_back(p.index, std::move(r));
      }
    }
    for (const auto& [index, r] : done) out.put(index, r);
    return;
  }
}

}  // namespace iu::argocdwb
