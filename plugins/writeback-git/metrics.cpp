#include "metrics.hpp"

namespace iu::gitwb {
namespace {

using iu::sdk::str;

uint64_t declare(const iu::sdk::Call& call, const char* name, const char* help,
                 const char* labels) {
  const iu_host_api* h = iu::sdk::host_api();
  if (h == nullptr || h->metric_declare == nullptr) return 0;
  return h->metric_declare(call.raw(), IU_METRIC_COUNTER, str(name), str(help), str(labels));
}

void add(const iu::sdk::Call& call, uint64_t metric, const std::string& labels) {
  const iu_host_api* h = iu::sdk::host_api();
  if (metric == 0 || h == nullptr || h->metric_update == nullptr) return;
  h->metric_update(call.raw(), metric, str(labels), 1.0);
}

// Label values are comma-separated on the ABI: a comma inside a URL would split it.
std::string label(std::string v) {
  for (char& c : v)
    if (c == ',') c = '_';
  return v;
}

}  // namespace

Metrics::Metrics(const iu::sdk::Call& call)
    : commits_(declare(call, "argocd_image_updater_git_commits_total",
                       "Commits made by the git write-back that reached the remote", "repository")),
      pushes_(declare(call, "argocd_image_updater_git_pushes_total",
                      "Pushes by the git write-back by result", "repository,result")),
      retries_(declare(call, "argocd_image_updater_git_push_retries_total",
                       "Pushes repeated after a rejection", "repository")) {}

void Metrics::commit(const iu::sdk::Call& call, const std::string& repository) const {
  add(call, commits_, label(repository));
}

void Metrics::push(const iu::sdk::Call& call, const std::string& repository,
                   const char* result) const {
  add(call, pushes_, label(repository) + "," + result);
}

void Metrics::push_retry(const iu::sdk::Call& call, const std::string& repository) const {
  add(call, retries_, label(repository));
}

}  // namespace iu::gitwb
