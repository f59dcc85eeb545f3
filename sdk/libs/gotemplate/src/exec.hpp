// Executes a parsed template the way Go 1.19's text/template/exec.go does.
#pragma once

#include <string>

#include "ast.hpp"
#include "iu/gotemplate/value.hpp"

namespace iu::gotemplate::detail {

// Throws ExecError.
std::string execute_tree(const Tree& tree, const Value& data);

}  // namespace iu::gotemplate::detail
