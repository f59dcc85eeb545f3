// An application's write intent with owned storage, and its C view for write-back plugins
// (iu_write_intent: settings keys and change target keys are documented in plugin.h).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "iu/plugin.h"

namespace iu::engine {

struct ImageChange {
  std::string alias;
  std::string image_name;  // written name: [registry/]repository (updater view)
  std::string old_tag;     // live tag[@digest]; "" when unknown or forced
  std::string new_tag;
  std::string new_digest;
  std::vector<std::pair<std::string, std::string>> target;  // helm.name, kustomize.name, ...
};

class WriteIntent {
 public:
  std::string app_namespace, app_name;
  std::string method;  // full method text, e.g. "git:secret:argocd/deploy"
  std::vector<std::pair<std::string, std::string>> settings;
  std::vector<ImageChange> changes;

  void set(const std::string& key, std::string value);
  std::string get(const std::string& key) const;

  // The C view; valid until this object is modified or destroyed.
  const iu_write_intent& view() const;

 private:
  mutable std::vector<iu_kv> settings_kv_;
  mutable std::vector<std::vector<iu_kv>> target_kv_;
  mutable std::vector<iu_image_change> changes_c_;
  mutable iu_write_intent c_{};
};

}  // namespace iu::engine
