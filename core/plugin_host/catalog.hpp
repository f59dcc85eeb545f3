// The catalog of implementations offered by loaded plugins, keyed by (kind, type name), plus the
// files that were refused and why. Configuration resolves names here (§15): an unknown name is
// an error listing the available ones.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "iu/plugin.h"

namespace iu::plugin_host {

enum class Kind : uint32_t {
  registry = IU_KIND_REGISTRY,
  strategy = IU_KIND_STRATEGY,
  scheduler = IU_KIND_SCHEDULER,
  writeback = IU_KIND_WRITEBACK,
};

std::optional<Kind> kind_from_abi(uint32_t raw);
std::string_view kind_name(Kind kind);

// A declared configuration key, copied out of the plugin's descriptor.
struct ConfigKeySpec {
  int32_t type = IU_CONFIG_STRING;
  std::string name;
  std::optional<std::string> default_value;
  bool required = false;
  std::string description;
};

// Full-size copies of a plugin's vtable (ABI rule 3: slots it did not know about are NULL).
using VTable =
    std::variant<iu_registry_vtable, iu_strategy_vtable, iu_scheduler_vtable, iu_writeback_vtable>;

struct Implementation {
  Kind kind;
  std::string name;
  std::vector<std::string> aliases;
  std::string description;
  uint32_t flags = 0;
  std::vector<ConfigKeySpec> config_keys;
  VTable vtable;
  // Provenance.
  std::string plugin_name;
  std::string plugin_version;
  std::string source;  // file path, or "builtin"
  uint32_t abi_major = 0;
  uint32_t abi_minor = 0;

  bool concurrent() const { return (flags & IU_FACTORY_CONCURRENT) != 0; }
};

struct Rejection {
  std::string source;  // file path
  std::string reason;  // full message, naming file, versions and remedy
  std::optional<Kind> kind;
  std::string name;
  std::string plugin_version;
  std::string abi;  // "major.minor" when known
};

// Thrown when configuration names an implementation that is not loaded.
class UnknownImplementation : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Catalog {
 public:
  // Adds an implementation; a duplicate name or alias of the same kind is rejected (the first
  // one loaded stays) and recorded as a Rejection. Returns false when rejected.
  bool add(Implementation impl);
  void reject(Rejection r);

  // By type name or alias; nullptr when absent.
  const Implementation* find(Kind kind, std::string_view name) const;
  // Like find but throws UnknownImplementation: `unknown strategy "calver" (available: ...)`.
  const Implementation& resolve(Kind kind, std::string_view name) const;
  // Sorted primary names of one kind.
  std::vector<std::string> names(Kind kind) const;

  const std::vector<std::unique_ptr<Implementation>>& implementations() const { return impls_; }
  const std::vector<Rejection>& rejections() const { return rejections_; }

 private:
  std::vector<std::unique_ptr<Implementation>> impls_;
  std::map<std::pair<Kind, std::string>, const Implementation*, std::less<>> by_name_;
  std::vector<Rejection> rejections_;
};

}  // namespace iu::plugin_host
