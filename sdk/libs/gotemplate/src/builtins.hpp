// The template functions, with the semantics of Go 1.19's text/template/funcs.go.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "ast.hpp"
#include "iu/gotemplate/value.hpp"

namespace iu::gotemplate::detail {

// An evaluated value: Go's reflect.Value as far as the subset needs one.
//  - valid == false is the invalid (zero) reflect.Value: a missing map key, or a nil that
//    went through a pipeline stage. It renders as "<no value>".
//  - a valid null is an interface{} holding nil, as a null list element, map value or record
//    field is when reached directly. Taking a field of it is an error.
struct Val {
  Value value;
  bool valid = true;

  static Val invalid() { return {Value(), false}; }
  // After Go's indirectInterface: both forms of nil are "zero".
  bool is_nil() const { return !valid || value.is_null(); }
};

// How a function parameter takes its argument (Go: reflect.Value, string, interface{}).
enum class ParamType { kValue, kString, kAny };

struct Signature {
  const char* name;
  std::size_t fixed;  // parameters before the variadic one
  bool variadic;
  ParamType fixed_type;     // type of the fixed parameters (all alike in the subset)
  ParamType variadic_type;  // type of each variadic argument
};

const Signature& signature_of(Builtin fn);

// A function failed; the executor reports "error calling <name>: <what>".
class BuiltinError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Go's truth(): the value is set and not the zero of its type. Records are always true.
bool is_true(const Val& v);

// Calls any builtin but and/or (which short-circuit in the executor). `args` were evaluated
// and type-checked against signature_of(fn). Throws BuiltinError.
Val call_builtin(Builtin fn, const std::vector<Val>& args);

}  // namespace iu::gotemplate::detail
