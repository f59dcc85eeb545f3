// The write-back's metrics (SPEC §13.1), registered through the host:
//   argocd_image_updater_git_commits_total{repository}          commits that landed
//   argocd_image_updater_git_pushes_total{repository,result}    success | rejected | error
//   argocd_image_updater_git_push_retries_total{repository}     pushes repeated after a rejection
// `repository` is the normalized URL (never with credentials).
#pragma once

#include <cstdint>
#include <string>

#include "iu/plugin.hpp"

namespace iu::gitwb {

class Metrics {
 public:
  // Declares the metrics (idempotent on the host side).
  explicit Metrics(const iu::sdk::Call& call);

  void commit(const iu::sdk::Call& call, const std::string& repository) const;
  void push(const iu::sdk::Call& call, const std::string& repository, const char* result) const;
  void push_retry(const iu::sdk::Call& call, const std::string& repository) const;

 private:
  uint64_t commits_ = 0, pushes_ = 0, retries_ = 0;
};

}  // namespace iu::gitwb
