// Evaluation of pipelines, commands, fields, variables and function calls (Go's exec.go).
#include "exec_impl.hpp"
#include "printer.hpp"

namespace iu::gotemplate::detail {

Val Executor::eval_pipeline(const Val& dot, const Pipeline& pipe) {
  at(pipe.pos, pipe.end);
  Final value;
  for (const Command& cmd : pipe.cmds) {
    value = eval_command(dot, cmd, value);
    // An interface{} holding nil becomes the invalid value between stages (Go: "lovely!").
    if (value->valid && value->value.is_null()) value = Val::invalid();
  }
  for (const std::string& name : pipe.decls) {
    if (pipe.is_assign) {
      set_var(name, *value);
    } else {
      push(name, *value);
    }
  }
  return *value;
}

void Executor::not_a_function(const Args* args, const Final& final) {
  if (args != nullptr && (args->size() > 1 || final)) {
    const Operand& callee = args->front();
    fail("can't give argument to non-function " +
         tree_.text.substr(callee.pos, callee.end - callee.pos));
  }
}

Val Executor::eval_command(const Val& dot, const Command& cmd, const Final& final) {
  const Operand& first = cmd.args.front();
  at(first.pos, first.end);
  switch (first.kind) {
    case Operand::Kind::kField:
      return eval_field_chain(dot, dot, first, 0, &cmd.args, final);
    case Operand::Kind::kChain:
      return eval_chain(dot, first, &cmd.args, final);
    case Operand::Kind::kFunction:
      return eval_call(dot, first, &cmd.args, final);
    case Operand::Kind::kPipeline:
      not_a_function(&cmd.args, final);
      return eval_pipeline(dot, *first.pipe);
    case Operand::Kind::kVariable:
      return eval_variable(dot, first, &cmd.args, final);
    default:
      break;
  }
  not_a_function(&cmd.args, final);
  switch (first.kind) {
    case Operand::Kind::kBool:
      return Val{Value(first.boolean)};
    case Operand::Kind::kDot:
      return dot;
    case Operand::Kind::kNumber:
      return Val{Value(first.number)};
    case Operand::Kind::kString:
      return Val{Value(first.text)};
    default:
      fail("nil is not a command");
  }
}

Val Executor::eval_field_chain(const Val& dot, Val receiver, const Operand& node, std::size_t first,
                               const Args* args, const Final& final) {
  (void)dot;
  at(node.pos, node.end);
  const std::size_t n = node.idents.size();
  for (std::size_t i = first; i + 1 < n; ++i)
    receiver = eval_field(node.idents[i], receiver, false);
  const bool has_args = (args != nullptr && args->size() > 1) || final.has_value();
  return eval_field(node.idents[n - 1], receiver, has_args);
}

Val Executor::eval_field(const std::string& name, const Val& receiver, bool has_args) {
  if (!receiver.valid) return Val::invalid();  // e.g. .Missing.Field: no error, no value
  const Value& v = receiver.value;
  if (v.is_null()) fail("nil pointer evaluating interface {}." + name);
  if (v.kind() == Value::Kind::kRecord) {
    if (const Value* field = v.find(name)) {
      if (has_args) fail(name + " has arguments but cannot be invoked as function");
      return Val{*field};
    }
  } else if (v.kind() == Value::Kind::kMap) {
    if (has_args) fail(name + " is not a method but has arguments");
    const Value* entry = v.find(name);
    return entry != nullptr ? Val{*entry} : Val::invalid();
  }
  fail("can't evaluate field " + name + " in type " + go_type_name(v));
}

Val Executor::eval_variable(const Val& dot, const Operand& node, const Args* args,
                            const Final& final) {
  at(node.pos, node.end);
  const Val value = var_value(node.idents.front());
  if (node.idents.size() == 1) {
    not_a_function(args, final);
    return value;
  }
  return eval_field_chain(dot, value, node, 1, args, final);
}

Val Executor::eval_chain(const Val& dot, const Operand& node, const Args* args,
                         const Final& final) {
  at(node.pos, node.end);
  const Val base = eval_arg(dot, std::nullopt, *node.base);
  return eval_field_chain(dot, base, node, 0, args, final);
}

Val Executor::eval_call(const Val& dot, const Operand& fn, const Args* args, const Final& final) {
  at(fn.pos, fn.end);
  const Signature& sig = signature_of(fn.function);
  const std::size_t explicit_args = args != nullptr ? args->size() - 1 : 0;
  const std::size_t num_in = explicit_args + (final ? 1 : 0);
  const std::string name = sig.name;
  if (sig.variadic && num_in < sig.fixed) {
    fail("wrong number of args for " + name + ": want at least " + std::to_string(sig.fixed) +
         " got " + std::to_string(explicit_args));
  }
  if (!sig.variadic && num_in != sig.fixed) {
    fail("wrong number of args for " + name + ": want " + std::to_string(sig.fixed) + " got " +
         std::to_string(num_in));
  }
  const auto param_type = [&](std::size_t i) {
    return i < sig.fixed ? sig.fixed_type : sig.variadic_type;
  };
  if (fn.function == Builtin::kAnd || fn.function == Builtin::kOr) {
    // Short-circuit: the first deciding argument is the result; later ones are not evaluated.
    const bool is_or = fn.function == Builtin::kOr;
    Val v = Val::invalid();
    for (std::size_t i = 1; i <= explicit_args; ++i) {
      v = eval_arg(dot, ParamType::kValue, (*args)[i]);
      if (is_true(v) == is_or) return v;
    }
    if (final) v = validate_type(*final, ParamType::kValue);
    return v;
  }
  std::vector<Val> argv;
  for (std::size_t i = 1; i <= explicit_args; ++i) {
    argv.push_back(eval_arg(dot, param_type(i - 1), (*args)[i]));
  }
  if (final) argv.push_back(validate_type(*final, param_type(num_in - 1)));
  try {
    return call_builtin(fn.function, argv);
  } catch (const BuiltinError& e) {
    if (args != nullptr) at(args->front().pos, args->back().end);
    fail("error calling " + name + ": " + e.what());
  }
}

Val Executor::eval_arg(const Val& dot, std::optional<ParamType> type, const Operand& arg) {
  at(arg.pos, arg.end);
  switch (arg.kind) {
    case Operand::Kind::kDot:
      return validate_type(dot, type);
    case Operand::Kind::kNil:
      if (type == ParamType::kString) fail("cannot assign nil to string");
      return type == ParamType::kAny ? Val{Value()} : Val::invalid();
    case Operand::Kind::kField:
      return validate_type(eval_field_chain(dot, dot, arg, 0, nullptr, std::nullopt), type);
    case Operand::Kind::kVariable:
      return validate_type(eval_variable(dot, arg, nullptr, std::nullopt), type);
    case Operand::Kind::kPipeline:
      return validate_type(eval_pipeline(dot, *arg.pipe), type);
    case Operand::Kind::kFunction:
      return validate_type(eval_call(dot, arg, nullptr, std::nullopt), type);
    case Operand::Kind::kChain:
      return validate_type(eval_chain(dot, arg, nullptr, std::nullopt), type);
    default:
      break;
  }
  if (type == ParamType::kString && arg.kind != Operand::Kind::kString) {
    fail("expected string; found " + tree_.text.substr(arg.pos, arg.end - arg.pos));
  }
  switch (arg.kind) {
    case Operand::Kind::kBool:
      return Val{Value(arg.boolean)};
    case Operand::Kind::kNumber:
      return Val{Value(arg.number)};
    default:
      return Val{Value(arg.text)};
  }
}

Val Executor::validate_type(const Val& v, std::optional<ParamType> type) {
  if (!v.valid) {
    if (type == ParamType::kString) fail("invalid value; expected string");
    // An interface{} parameter receives nil; reflect.Value parameters the invalid value.
    return type == ParamType::kAny ? Val{Value()} : v;
  }
  if (type == ParamType::kString && v.value.kind() != Value::Kind::kString) {
    fail("wrong type for value; expected string; got " + go_type_name(v.value));
  }
  return v;
}

}  // namespace iu::gotemplate::detail
