// The `argocd-image-updater template [PATH]` command (SPEC.md §3.5), kept here so that it can
// be tested without the core.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "iu/gotemplate/commit_message.hpp"

namespace iu::gotemplate {

// The sample the command renders: application "example-app" in namespace "argocd", with
// foo/bar 1.0.0 -> 1.0.1 and foo/baz moving from one fixed digest to another.
Application sample_application();
std::vector<ImageChange> sample_changes();

// Renders the template at `path` (the built-in one when `path` is empty) with the sample and
// writes it, followed by a newline as upstream prints it, to `out`. An unreadable file, a
// parse error or an execution error writes "<path>:<line>:<col>: <message>" (or
// "<path>: <problem>") to `err` and returns 2; success returns 0.
int run_template_command(const std::string& path, std::ostream& out, std::ostream& err);

}  // namespace iu::gotemplate
