// Helpers shared by the iu_config tests: reading testdata and turning YAML text into snapshots.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/objects.hpp"
#include "config/resolve.hpp"
#include "config/snapshot.hpp"

namespace iu::config::testing {

// tests/config/testdata/<rel>.
std::filesystem::path testdata(const std::string& rel);
std::string read_text(const std::filesystem::path& path);

// The recognised documents of a multi-document YAML text, read as the dir source reads one file
// (strict ImageUpdaters, default namespace `argocd`), without the duplicate check.
Snapshot snapshot_from_text(const std::string& text);
Snapshot snapshot_from_file(const std::string& rel);

// what() of each issue, in order.
std::vector<std::string> texts(const std::vector<ConfigIssue>& issues);
// what() of the issues of one severity.
std::vector<std::string> texts(const std::vector<ConfigIssue>& issues, Severity severity);

// The ImageUpdater named `name` (any namespace); fails the test when absent.
const ImageUpdater& updater(const Snapshot& snapshot, const std::string& name);

// The managed application `ns/name`, or nullptr.
const ManagedApplication* managed(const std::vector<ManagedApplication>& apps,
                                  const std::string& ns, const std::string& name);

}  // namespace iu::config::testing
