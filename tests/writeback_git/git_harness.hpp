// The git write-back under test: the built writeback-git.so through the shared write-back
// harness, and the intent most tests start from.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "plugin_harness.hpp"

namespace iu::test::gitwb {

using wb::Batch;
using wb::BuiltIntent;
using wb::ChangeSpec;
using wb::IntentSpec;
using wb::write;

// The loaded plugin.
const iu::plugin_host::Implementation& git_writeback();

// A new git write-back instance with `config` (validated and defaulted like the host does).
std::unique_ptr<iu::plugin_host::WritebackInstance> make_instance(
    const std::map<std::string, std::string>& config);

// Settings for a helm app writing values.yaml of the seeded repository.
IntentSpec helm_values_intent(const std::string& repo_url, const std::string& app,
                              const std::string& new_tag, const std::string& branch = "main");

}  // namespace iu::test::gitwb
