// registries.conf (SPEC §7.1): YAML with one top-level key `registries`, a list of entries.
// Parsing is strict: unknown or duplicate keys, wrong types and invalid values are errors that
// name the entry index and key. yaml-cpp stays inside the .cpp files.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registries/endpoint.hpp"

namespace iu::registries {

struct RegistriesConf {
  std::vector<Endpoint> endpoints;    // configured entries in file order (origin kConfigured)
  std::vector<std::string> warnings;  // e.g. the `ping` key, which has no effect
};

// Parses and validates registries.conf text. `source_name` is the object named in messages
// (`registries.conf: registries[1].limit: negative value -1 (0 means unlimited)`); a line number
// is appended when the YAML gives one. An empty document or `registries:` without entries gives
// no entries. Every entry is checked on its own (keys, types, api_url, prefix, credential
// reference syntax, durations, numbers, CA certificates unless insecure) and against the others
// (unique canonical prefixes, at most one default, no prefix only on the default).
// Defaults: limit 20, max_inflight 30, tagsortmode none, plugin docker-v2 (ecr when the API host
// or the prefix host is an ECR host), defaultns "" (library for a Docker Hub entry). A key set to
// null counts as unset.
// Throws ConfigError.
RegistriesConf parse_registries_conf(std::string_view yaml,
                                     std::string_view source_name = "registries.conf");

// The file's content, or nullopt when it does not exist (built-ins only). Throws ConfigError
// when it exists but cannot be read.
std::optional<std::string> read_registries_conf(const std::filesystem::path& path);

// Logs each warning at level warn, every distinct text once per process (a reload that keeps
// the `ping` key does not repeat it).
void log_conf_warnings(const std::vector<std::string>& warnings);

}  // namespace iu::registries
