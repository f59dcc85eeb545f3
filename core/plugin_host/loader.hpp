// Loads plugin files (Boost.DLL), negotiates the ABI and fills the catalog (SPEC §15).
//
// Contract: nothing a plugin file does wrong stops the host. Every refusal is recorded in the
// catalog as a Rejection whose message names the file, the reason and, for version problems,
// both versions and the remedy. Loaded libraries stay loaded until the process exits.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "iu/plugin.h"
#include "plugin_host/catalog.hpp"

namespace iu::plugin_host {

// Loads every `*.so` directly inside each directory (directories in the order given, files in
// lexical order). A missing directory is skipped with a warning when `warn_missing` is set.
void load_directories(const std::vector<std::filesystem::path>& dirs, Catalog& catalog,
                      bool warn_missing = true);

// Loads one file. Returns the number of implementations it added to the catalog.
size_t load_file(const std::filesystem::path& file, Catalog& catalog);

// Negotiates and copies an already-obtained descriptor (the part of load_file after dlopen;
// also used for plugins linked into the binary). `source` names it in messages.
size_t register_descriptor(const iu_plugin_descriptor* descriptor, const std::string& source,
                           Catalog& catalog);

// Splits colon-separated directory lists ("a:b") and flattens repeated flags.
std::vector<std::filesystem::path> split_plugin_dirs(const std::vector<std::string>& values);

}  // namespace iu::plugin_host
