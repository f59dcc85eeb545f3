#include "exec.hpp"

#include "exec_impl.hpp"
#include "iu/gotemplate/template.hpp"
#include "parser.hpp"
#include "printer.hpp"

namespace iu::gotemplate::detail {

std::string execute_tree(const Tree& tree, const Value& data) {
  std::string out;
  Executor(tree, out).run(data);
  return out;
}

void Executor::run(const Value& data) {
  // Go's reflect.ValueOf(nil) is invalid: `{{ .X }}` on nil data renders "<no value>".
  const Val root = data.is_null() ? Val::invalid() : Val{data};
  vars_.emplace_back("$", root);
  walk(root, tree_.root);
}

void Executor::fail(const std::string& message) const {
  const Position where = position_of(tree_.text, at_pos_);
  const std::string context = tree_.text.substr(at_pos_, at_end_ - at_pos_);
  throw ExecError(where.line, where.column, "at <" + context + ">: " + message);
}

void Executor::set_var(const std::string& name, const Val& v) {
  for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
    if (it->first == name) {
      it->second = v;
      return;
    }
  }
  fail("undefined variable: " + name);
}

const Val& Executor::var_value(const std::string& name) {
  for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  fail("undefined variable: " + name);
}

void Executor::walk(const Val& dot, const std::vector<Node>& list) {
  for (const Node& node : list) walk_node(dot, node);
}

void Executor::walk_node(const Val& dot, const Node& node) {
  at(node.pos, node.end);
  switch (node.kind) {
    case Node::Kind::kText:
      out_ += node.text;
      return;
    case Node::Kind::kAction: {
      // Variables declared here live until the enclosing {{end}}; a declaration prints nothing.
      const Val v = eval_pipeline(dot, *node.pipe);
      if (node.pipe->decls.empty()) print_value(v);
      return;
    }
    case Node::Kind::kIf:
    case Node::Kind::kWith:
      walk_if_or_with(dot, node);
      return;
    case Node::Kind::kRange:
      walk_range(dot, node);
      return;
  }
}

void Executor::walk_if_or_with(const Val& dot, const Node& node) {
  const std::size_t vars = mark();
  const Val v = eval_pipeline(dot, *node.pipe);
  if (is_true(v)) {
    walk(node.kind == Node::Kind::kWith ? v : dot, node.list);
  } else if (node.has_else) {
    walk(dot, node.else_list);
  }
  pop(vars);
}

void Executor::walk_range(const Val& dot, const Node& node) {
  at(node.pos, node.end);
  const std::size_t vars = mark();
  const Val v = eval_pipeline(dot, *node.pipe);
  const std::size_t body_vars = mark();
  const std::size_t decls = node.pipe->decls.size();
  const auto one_iteration = [&](const Val& index, const Val& elem) {
    if (decls > 0) set_top_var(1, elem);   // the element: the last variable
    if (decls > 1) set_top_var(2, index);  // the index or key: the first of two
    walk(elem, node.list);
    pop(body_vars);
  };
  bool empty = true;
  if (v.valid) {
    switch (v.value.kind()) {
      case Value::Kind::kList: {
        const Value::List& items = v.value.as_list();
        for (std::size_t i = 0; i < items.size(); ++i) {
          one_iteration(Val{Value(static_cast<std::int64_t>(i))}, Val{items[i]});
        }
        empty = items.empty();
        break;
      }
      case Value::Kind::kMap:
        for (const auto& [key, value] : v.value.as_map())
          one_iteration(Val{Value(key)}, Val{value});
        empty = v.value.as_map().empty();
        break;
      case Value::Kind::kNull:
        break;
      default: {
        std::string text;
        Printer(text).print_arg(v.value, 'v');
        fail("range can't iterate over " + text);
      }
    }
  }
  if (empty && node.has_else) walk(dot, node.else_list);
  pop(vars);
}

void Executor::print_value(const Val& v) {
  if (!v.valid) {
    out_ += "<no value>";
    return;
  }
  Printer(out_).print_arg(v.value, 'v');
}

}  // namespace iu::gotemplate::detail
