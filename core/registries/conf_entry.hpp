// Internal to iu_registries: parsing one registries.conf entry from its YAML node.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "registries/endpoint.hpp"

namespace iu::registries::detail {

struct ParseContext {
  std::string_view source;  // object name for messages
  std::vector<std::string>* warnings;
};

// " (line N)" for a node read from text, "" otherwise.
std::string line_of(const YAML::Node& node);

// Throws ConfigError "<source>: <where>: <problem>[ (line N)]".
[[noreturn]] void fail(const ParseContext& ctx, const std::string& where,
                       const std::string& problem, const YAML::Node& at);

// Parses entry `index`; checks everything that concerns the entry alone.
Endpoint parse_entry(const YAML::Node& node, int index, const ParseContext& ctx);

// "" when `pem` holds at least one X.509 certificate and nothing unreadable, else the problem.
std::string check_pem_certificates(std::string_view pem);

// The same for the file at `path`, whose problems (unreadable, too large) name the path.
std::string check_pem_file(const std::string& path);

}  // namespace iu::registries::detail
