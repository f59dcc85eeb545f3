#include "config/settings.hpp"

namespace iu::config {
namespace {

template <class T>
void take(std::optional<T>& base, const std::optional<T>& over) {
  if (over) base = over;
}

}  // namespace

UpdateSettings merge(UpdateSettings base, const UpdateSettings& over) {
  take(base.update_strategy, over.update_strategy);
  take(base.force_update, over.force_update);
  take(base.allow_tags, over.allow_tags);
  take(base.ignore_tags, over.ignore_tags);
  take(base.pull_secret, over.pull_secret);
  take(base.platforms, over.platforms);
  return base;
}

VerificationSettings merge(VerificationSettings base, const VerificationSettings& over) {
  take(base.enabled, over.enabled);
  take(base.cosign_key, over.cosign_key);
  return base;
}

WriteBackSettings merge(WriteBackSettings base, const WriteBackSettings& over) {
  take(base.method, over.method);
  take(base.repository, over.repository);
  take(base.branch, over.branch);
  take(base.write_back_target, over.write_back_target);
  take(base.pull_request, over.pull_request);
  return base;
}

}  // namespace iu::config
