// What the argocd write-back reads from a host write intent (plugin.h: iu_write_intent).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app_edit.hpp"
#include "iu/plugin.h"

namespace iu::argocdwb {

// The value of a settings key ("" when absent).
std::string setting(const iu_write_intent& intent, std::string_view key);

// The intent's image changes as edits.
std::vector<ImageEdit> edits_of(const iu_write_intent& intent);

// "Application <ns>/<name>", the prefix of every result message.
std::string application_display(const iu_write_intent& intent);

}  // namespace iu::argocdwb
