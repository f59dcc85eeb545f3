// `argocd-image-updater template [PATH]` (SPEC.md §3.5). The logic lives in the gotemplate
// library, next to the commit-message code the git write-back uses, so both render alike.
#include <iostream>

#include "cli/commands.hpp"
#include "iu/gotemplate/template_command.hpp"

namespace iu::cli {

int cmd_template(const std::string& path) {
  return gotemplate::run_template_command(path, std::cout, std::cerr);
}

}  // namespace iu::cli
