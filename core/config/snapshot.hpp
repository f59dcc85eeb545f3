// Everything one source yields for one pass: the objects and the problems found reading them.
#pragma once

#include <string_view>
#include <vector>

#include "config/application.hpp"
#include "config/image_updater.hpp"
#include "config/issue.hpp"

namespace iu::config {

struct Snapshot {
  std::vector<ImageUpdater> updaters;     // including invalid ones (see ImageUpdater::errors)
  std::vector<Application> applications;  // including invalid ones (see Application::errors)
  std::vector<Secret> secrets;
  // Source-level problems: unreadable or unparsable files, documents without a usable name,
  // duplicate objects, undecodable Secrets. The objects concerned are not in the lists above.
  std::vector<ConfigIssue> issues;

  const Secret* find_secret(std::string_view ns, std::string_view name) const;
  const Application* find_application(std::string_view ns, std::string_view name) const;
};

}  // namespace iu::config
