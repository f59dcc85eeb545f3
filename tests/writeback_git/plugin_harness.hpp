// Drives a built write-back plugin module through the real loader and host handle
// (iu::plugin_host::load_file + WritebackInstance), with intents built as the host builds them.
// Shared by the tests of the git and argocd write-backs (library iu_writeback_harness).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "iu/plugin.h"
#include "plugin_host/catalog.hpp"
#include "plugin_host/kinds.hpp"

namespace iu::test::wb {

struct ChangeSpec {
  std::string image_name;
  std::string old_tag;
  std::string new_tag;
  std::string new_digest;
  std::vector<std::pair<std::string, std::string>> target;  // helm.name, kustomize.name, ...
  std::string alias;
};

struct IntentSpec {
  std::string app_namespace = "argocd";
  std::string app_name;
  std::string method = "git";
  std::map<std::string, std::string> settings;  // repository, branch, write_back_target, ...
  std::vector<ChangeSpec> changes;
};

// An iu_write_intent whose borrowed views point into its own copy of the spec.
class BuiltIntent {
 public:
  explicit BuiltIntent(IntentSpec spec);
  BuiltIntent(const BuiltIntent&) = delete;
  BuiltIntent& operator=(const BuiltIntent&) = delete;
  const iu_write_intent& raw() const { return raw_; }
  const IntentSpec& spec() const { return spec_; }

 private:
  IntentSpec spec_;
  std::vector<iu_kv> settings_;
  std::vector<std::vector<iu_kv>> targets_;
  std::vector<iu_image_change> changes_;
  iu_write_intent raw_{};
};

// A batch of intents as the host hands it to write_batch.
class Batch {
 public:
  Batch& add(IntentSpec spec);
  std::vector<const iu_write_intent*> pointers() const;
  size_t size() const { return intents_.size(); }

 private:
  std::vector<std::unique_ptr<BuiltIntent>> intents_;
};

// The write-back `name` of the module at `path`, loaded once per process (plugins stay loaded
// until exit). Throws std::runtime_error with the loader's reasons when it cannot be loaded.
const iu::plugin_host::Implementation& load_writeback(const std::string& path,
                                                      const std::string& name);

// A new instance of `impl` with `config` (validated and defaulted like the host does).
std::unique_ptr<iu::plugin_host::WritebackInstance> make_instance(
    const iu::plugin_host::Implementation& impl, const std::map<std::string, std::string>& config);

// write_batch on a whole batch.
std::vector<iu::plugin_host::WriteResult> write(const iu::plugin_host::WritebackInstance& wb,
                                                const Batch& batch);

}  // namespace iu::test::wb
