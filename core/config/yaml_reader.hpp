// Typed, path-tracking reads from yaml-cpp nodes for the object parsers. Internal to iu_config.
//
// Kubernetes semantics: a key whose value is null counts as absent; string fields need string
// scalars (an unquoted `1.10`, `true` or `~` is a type error, as the API server would say);
// boolean fields need `true`/`false`. JSON text parses into the same nodes, so objects read from
// the Kubernetes API go through the same checks. yaml-cpp 0.7 keeps duplicate keys, so mappings
// are checked for them here.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/issue.hpp"
#include "config/label_selector.hpp"

namespace iu::config::yaml {

// `parent.key`, or `key` at the top.
std::string join(std::string_view parent, std::string_view key);
// `parent[index]`.
std::string index(std::string_view parent, std::size_t i);

// What a scalar resolves to under the YAML core schema (plus YAML 1.1 yes/no/on/off booleans,
// which Kubernetes' YAML reader still resolves): "string", "null", "boolean" or "number".
std::string_view scalar_kind(const YAML::Node& node);

// True when the node is absent or null.
bool is_absent(const YAML::Node& node);

class Reader {
 public:
  // Errors go to `*errors` with `scope`, naming `object`. With `strict`, keys outside the known
  // set are errors ("unknown field"); otherwise they are ignored (the API server prunes them).
  Reader(ObjectRef object, Scope scope, std::vector<ConfigIssue>* errors, bool strict)
      : object_(std::move(object)), scope_(scope), errors_(errors), strict_(strict) {}

  // True when `node` is a mapping. Reports unknown keys (strict), non-string and duplicate
  // keys. A non-mapping is an error unless `node` is absent/null (then false, no error).
  bool mapping(const YAML::Node& node, std::string_view path,
               std::initializer_list<std::string_view> known);

  // The value of `key` in mapping `parent` or an undefined node when absent or null.
  static YAML::Node child(const YAML::Node& parent, std::string_view key);

  // Typed fields of mapping `parent` (at `parent_path`). Absent/null gives std::nullopt without
  // an error; a wrong type gives std::nullopt and an error.
  std::optional<std::string> string(const YAML::Node& parent, std::string_view parent_path,
                                    std::string_view key);
  std::optional<bool> boolean(const YAML::Node& parent, std::string_view parent_path,
                              std::string_view key);
  std::optional<std::vector<std::string>> strings(const YAML::Node& parent,
                                                  std::string_view parent_path,
                                                  std::string_view key);
  // A map of string to string (labels, annotations, Secret data).
  std::optional<Labels> string_map(const YAML::Node& parent, std::string_view parent_path,
                                   std::string_view key);

  // A string scalar at `path`, or std::nullopt with an error.
  std::optional<std::string> as_string(const YAML::Node& node, std::string_view path);

  void error(std::string path, std::string message);
  const ObjectRef& object() const { return object_; }
  // Errors reported so far; compare two readings to see whether a part had problems.
  int failures() const { return failures_; }

 private:
  ObjectRef object_;
  Scope scope_;
  std::vector<ConfigIssue>* errors_;
  bool strict_;
  int failures_ = 0;
};

// A position for `file:line:col` (1-based) from a node's mark.
int line_of(const YAML::Node& node);
int column_of(const YAML::Node& node);

}  // namespace iu::config::yaml
