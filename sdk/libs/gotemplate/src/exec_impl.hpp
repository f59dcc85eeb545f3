// The executor's state, shared by exec.cpp (statements) and exec_eval.cpp (expressions).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ast.hpp"
#include "builtins.hpp"

namespace iu::gotemplate::detail {

class Executor {
 public:
  Executor(const Tree& tree, std::string& out) : tree_(tree), out_(out) {}

  void run(const Value& data);

 private:
  // The pipeline's value so far, passed to the next command as its last argument.
  using Final = std::optional<Val>;
  using Args = std::vector<Operand>;

  // Statements (exec.cpp).
  void walk(const Val& dot, const std::vector<Node>& list);
  void walk_node(const Val& dot, const Node& node);
  void walk_if_or_with(const Val& dot, const Node& node);
  void walk_range(const Val& dot, const Node& node);
  void print_value(const Val& v);

  // Expressions (exec_eval.cpp). `args` is the whole command (the callee first) or nullptr.
  Val eval_pipeline(const Val& dot, const Pipeline& pipe);
  Val eval_command(const Val& dot, const Command& cmd, const Final& final);
  Val eval_field_chain(const Val& dot, Val receiver, const Operand& node, std::size_t first,
                       const Args* args, const Final& final);
  Val eval_field(const std::string& name, const Val& receiver, bool has_args);
  Val eval_variable(const Val& dot, const Operand& node, const Args* args, const Final& final);
  Val eval_chain(const Val& dot, const Operand& node, const Args* args, const Final& final);
  Val eval_call(const Val& dot, const Operand& fn, const Args* args, const Final& final);
  Val eval_arg(const Val& dot, std::optional<ParamType> type, const Operand& arg);
  Val validate_type(const Val& v, std::optional<ParamType> type);
  void not_a_function(const Args* args, const Final& final);

  // Variables.
  std::size_t mark() const { return vars_.size(); }
  void pop(std::size_t mark) { vars_.resize(mark); }
  void push(const std::string& name, const Val& v) { vars_.emplace_back(name, v); }
  void set_var(const std::string& name, const Val& v);
  void set_top_var(std::size_t n, const Val& v) { vars_[vars_.size() - n].second = v; }
  const Val& var_value(const std::string& name);

  // Errors name the construct being evaluated.
  void at(std::size_t pos, std::size_t end) {
    at_pos_ = pos;
    at_end_ = end;
  }
  [[noreturn]] void fail(const std::string& message) const;

  const Tree& tree_;
  std::string& out_;
  std::vector<std::pair<std::string, Val>> vars_;
  std::size_t at_pos_ = 0;
  std::size_t at_end_ = 0;
};

}  // namespace iu::gotemplate::detail
