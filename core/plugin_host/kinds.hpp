// Typed host-side handles, one per plugin kind. They convert between the core's values and the
// C ABI structs; errors come back as PluginError (see instance.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plugin_host/instance.hpp"

namespace iu::plugin_host {

// ---- registry ---------------------------------------------------------------------------

struct Credentials {
  std::string username, password;
  std::string identity;  // secret-free, for cache keys
};

struct TagInfo {
  std::string tag;
  std::string digest;  // when the listing knows it
  int64_t pushed_at_ms = IU_TIME_UNKNOWN;
};

struct PlatformInfo {
  std::string os, architecture, variant;
};

struct ManifestInfo {
  struct Child {
    std::string digest, media_type;
    PlatformInfo platform;
  };
  std::string digest, media_type;
  bool is_index = false;
  std::vector<Child> children;
  std::string config_digest;
};

struct ImageConfigInfo {
  std::string created;
  PlatformInfo platform;
  std::vector<std::pair<std::string, std::string>> labels;
};

class RegistryInstance : public Instance {
 public:
  RegistryInstance(const Implementation& impl, ConfigMap config, std::string endpoint);
  std::vector<TagInfo> list_tags(std::string_view repository, const Credentials& creds) const;
  ManifestInfo get_manifest(std::string_view repository, const Credentials& creds,
                            std::string_view reference, uint32_t flags = 0) const;
  // PluginError(IU_STATUS_UNSUPPORTED) when the plugin lacks the slot.
  ImageConfigInfo get_image_config(std::string_view repository, const Credentials& creds,
                                   std::string_view config_digest) const;

 private:
  const iu_registry_vtable& vt() const;
};

// ---- strategy ---------------------------------------------------------------------------

struct Candidate {
  std::string_view tag;
  int64_t created_ms = IU_TIME_UNKNOWN;
  std::string_view digest;
  int64_t pushed_at_ms = IU_TIME_UNKNOWN;
};

class StrategyInstance : public Instance {
 public:
  StrategyInstance(const Implementation& impl, ConfigMap config);
  uint32_t needs() const { return vt().needs; }
  int32_t result() const { return vt().result; }
  int32_t platforms() const { return vt().platforms; }
  // Throws PluginError (INVALID_ARGUMENT) for a bad version text; no-op when the plugin has no validate slot.
  void validate(std::string_view version) const;
  // Indices of acceptable candidates, best first (at most max_results; 0 = all).
  std::vector<uint64_t> rank(std::string_view version, std::string_view image,
                             std::span<const Candidate> candidates, uint64_t max_results) const;

 private:
  const iu_strategy_vtable& vt() const;
};

// ---- scheduler --------------------------------------------------------------------------

struct SchedJob {
  std::string app_namespace, app_name, repository;
  int64_t last_attempt_ms = IU_TIME_UNKNOWN;
  int64_t last_success_ms = IU_TIME_UNKNOWN;
  int64_t last_failure_ms = IU_TIME_UNKNOWN;
  int32_t last_result = IU_RESULT_NONE;
};

class SchedulerInstance : public Instance {
 public:
  SchedulerInstance(const Implementation& impl, ConfigMap config);
  // Job indices in processing order. Indices out of range or repeated are an INTERNAL error.
  std::vector<uint64_t> order(int64_t now_ms, std::span<const SchedJob> jobs) const;

 private:
  const iu_scheduler_vtable& vt() const;
};

// ---- writeback --------------------------------------------------------------------------

struct WriteResult {
  uint64_t intent_index = 0;
  iu_status status = IU_STATUS_OK;
  std::string message;
  uint64_t changes_applied = 0;
};

class WritebackInstance : public Instance {
 public:
  WritebackInstance(const Implementation& impl, ConfigMap config);
  // "" when the plugin does not batch (slot absent or empty key).
  std::string batch_key(const iu_write_intent& intent) const;
  // One result per intent, in intent order; intents the plugin did not report get INTERNAL.
  std::vector<WriteResult> write_batch(std::span<const iu_write_intent* const> intents) const;
  struct Current {
    std::string image_name, tag, digest;
  };
  // Per change index, what the target holds (nullopt: no entry). PluginError(UNSUPPORTED)
  // when the plugin cannot read its target.
  std::vector<std::optional<Current>> read_current(const iu_write_intent& intent) const;

 private:
  const iu_writeback_vtable& vt() const;
};

}  // namespace iu::plugin_host
