// Which source of an Application a write-back concerns, and as which type (SPEC §9.1).
#pragma once

#include <optional>
#include <string>

#include "config/application.hpp"
#include "config/resolve.hpp"

namespace iu::engine {

struct SelectedSource {
  const config::ApplicationSource* source = nullptr;
  std::string type;  // "Helm", "Kustomize" or "Plugin"
};

// The source to write and its type, or nullopt with *why set (the application is skipped with
// a warning: `skipping app … not of supported source type`).
std::optional<SelectedSource> select_source(const config::ManagedApplication& app,
                                            std::string* why);

}  // namespace iu::engine
