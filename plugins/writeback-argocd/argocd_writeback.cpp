#include "argocd_writeback.hpp"

#include <map>
#include <random>
#include <thread>

#include "app_edit.hpp"
#include "file_writeback.hpp"
#include "intent_fields.hpp"

namespace iu::argocdwb {
namespace {

using iu::sdk::view;

iu_status status_of(int http) {
  if (http == 0 || http >= 500) return IU_STATUS_TRANSIENT;
  if (http == 401 || http == 403) return IU_STATUS_UNAUTHENTICATED;
  if (http == 404) return IU_STATUS_NOT_FOUND;
  if (http == 409) return IU_STATUS_CONFLICT;
  if (http == 429) return IU_STATUS_RATE_LIMITED;
  return IU_STATUS_INVALID_ARGUMENT;
}

}  // namespace

ArgocdWriteback::ArgocdWriteback(iu::sdk::Call& call) {
  ApiSettings s;
  s.server = call.config("kube_server").value_or("");
  while (!s.server.empty() && s.server.back() == '/') s.server.pop_back();
  s.token_file = call.config("kube_token_file").value_or("");
  s.ca_file = call.config("kube_ca_file").value_or("");
  s.client_cert_file = call.config("kube_client_cert_file").value_or("");
  s.client_key_file = call.config("kube_client_key_file").value_or("");
  const std::string insecure = call.config("kube_insecure").value_or("false");
  s.insecure = insecure == "1" || insecure == "true" || insecure == "True" || insecure == "TRUE" ||
               insecure == "t" || insecure == "T";
  if (s.client_cert_file.empty() != s.client_key_file.empty())
    throw iu::sdk::Error(IU_STATUS_INVALID_ARGUMENT,
                         "kube_client_cert_file and kube_client_key_file must be set together");
  if (!s.server.empty()) api_ = std::make_unique<ApiClient>(std::move(s));
}

// API objects are written one by one (no key: the host gives each its own batch); the
// applications of one manifest file come together so that the file is written once.
std::string ArgocdWriteback::batch_key(iu::sdk::Call&, const iu_write_intent& intent) {
  const std::string file = setting(intent, "application_file");
  return file.empty() ? std::string() : "file:" + file;
}

void ArgocdWriteback::write_batch(iu::sdk::Call& call,
                                  std::span<const iu_write_intent* const> intents,
                                  iu::sdk::WriteResultSink& out) {
  std::map<std::string, std::vector<IndexedIntent>> by_file;
  for (size_t i = 0; i < intents.size(); ++i) {
    std::string file = setting(*intents[i], "application_file");
    if (!file.empty()) {
      by_file[file].emplace_back(i, intents[i]);
      continue;
    }
    iu::sdk::WriteResult r;
    try {
      r = write_one(call, *intents[i]);
    } catch (const iu::sdk::Error& e) {
      r.status = e.status();
      r.message = e.what();
    } catch (const std::exception& e) {
      r.status = IU_STATUS_INTERNAL;
      r.message = e.what();
    }
    out.put(i, r);
  }
  for (const auto& [file, group] : by_file) write_file_group(call, file, group, out);
}

iu::sdk::WriteResult ArgocdWriteback::write_one(iu::sdk::Call& call,
                                                const iu_write_intent& intent) {
  const std::string ns(view(intent.app_namespace)), name(view(intent.app_name));
  const std::string who = application_display(intent);
  iu::sdk::WriteResult r;
  if (!api_) {
    r.status = IU_STATUS_UNSUPPORTED;
    r.message = who +
                ": the argocd write-back needs the Kubernetes API (--source crd or "
                "annotations) or, with --source dir, the Application's file; this host gave "
                "neither kube_server nor application_file";
    return r;
  }
  const std::string path = "/apis/argoproj.io/v1alpha1/namespaces/" + ns + "/applications/" + name;
  const std::vector<ImageEdit> edits = edits_of(intent);
  const std::string source_field = setting(intent, "source_field");
  const std::string source_type = setting(intent, "source_type");
  const bool dry_run = setting(intent, "dry_run") == "true";
  thread_local std::mt19937 rng{std::random_device{}()};
  std::chrono::milliseconds backoff{10};
  constexpr int kRounds = 5;
  for (int round = 1; round <= kRounds; ++round) {
    if (call.cancelled()) {
      r.status = IU_STATUS_CANCELLED;
      r.message = who + ": cancelled";
      return r;
    }
    ApiResponse got = api_->request("GET", path);
    if (got.status != 200) {
      r.status = status_of(got.status);
      r.message = who + ": GET: " + describe(got);
      return r;
    }
    EditOutcome edited;
    try {
      edited = apply_edits(got.body, source_field, source_type, edits);
    } catch (const EditError& e) {
      r.status = IU_STATUS_INVALID_ARGUMENT;
      r.message = who + ": " + e.what();
      return r;
    }
    if (edited.changed == 0) {
      r.message = who + ": already up to date";
      return r;
    }
    if (dry_run) {
      r.message = who + ": dry run, " + std::to_string(edited.changed) + " change(s) not written";
      return r;
    }
    ApiResponse put = api_->request("PUT", path, edited.object);
    if (put.status == 200 || put.status == 201) {
      r.changes_applied = edited.changed;
      r.message = who + ": updated (" + std::to_string(edited.changed) + " change(s))";
      return r;
    }
    if (put.status != 409) {
      r.status = status_of(put.status);
      r.message = who + ": PUT: " + describe(put);
      return r;
    }
    if (call.log_enabled(IU_LOG_DEBUG))
      call.debug(who + ": conflict on update (round " + std::to_string(round) + "), re-reading");
    std::chrono::milliseconds wait{
        static_cast<long long>(static_cast<double>(backoff.count()) *
                               std::uniform_real_distribution<double>(0.5, 1.5)(rng))};
    std::this_thread::sleep_for(wait);
    backoff *= 2;
  }
  r.status = IU_STATUS_CONFLICT;
  r.message =
      who + ": update conflicted " + std::to_string(kRounds) + " times; giving up for this pass";
  return r;
}

}  // namespace iu::argocdwb
