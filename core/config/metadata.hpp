// Object metadata shared by the object parsers. Internal to iu_config.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "config/label_selector.hpp"
#include "config/objects.hpp"
#include "config/yaml_reader.hpp"

namespace iu::config {

struct Metadata {
  ObjectRef ref;
  Labels labels;
  Labels annotations;
  std::int64_t generation = 0;
};

// Reads `metadata` of a document of `kind`. Without a usable name (or with an invalid
// namespace) returns std::nullopt and reports a kSource issue located at the document.
// Bad labels or annotations are reported through `r`-independent issues with `scope`.
std::optional<Metadata> read_metadata(const YAML::Node& document, std::string_view kind,
                                      const ParseOptions& options, Scope scope,
                                      std::vector<ConfigIssue>* issues,
                                      std::vector<ConfigIssue>* object_errors);

}  // namespace iu::config
