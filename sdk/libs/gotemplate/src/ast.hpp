// The parse tree of a template, mirroring text/template/parse's nodes for the subset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace iu::gotemplate::detail {

enum class Builtin {
  kAnd,
  kOr,
  kNot,
  kLen,
  kIndex,
  kPrint,
  kPrintf,
  kPrintln,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe
};

struct Pipeline;

// One word of a command.
struct Operand {
  enum class Kind {
    kField,
    kChain,
    kVariable,
    kFunction,
    kDot,
    kNil,
    kBool,
    kNumber,
    kString,
    kPipeline
  };

  Kind kind;
  std::size_t pos = 0;  // byte span in the template text, for error messages
  std::size_t end = 0;
  // kField: the field names (".A.B" -> A, B); kVariable: the name, then fields ("$x.A" -> $x, A);
  // kChain: the fields applied to `base`.
  std::vector<std::string> idents;
  std::unique_ptr<Operand> base;   // kChain: a function or a parenthesized pipeline
  std::unique_ptr<Pipeline> pipe;  // kPipeline
  std::string text;                // kString: the value; kFunction: the name
  std::int64_t number = 0;
  bool boolean = false;
  Builtin function = Builtin::kAnd;
};

struct Command {
  std::size_t pos = 0;
  std::size_t end = 0;
  std::vector<Operand> args;
};

struct Pipeline {
  std::size_t pos = 0;
  std::size_t end = 0;
  bool is_assign = false;          // `$x = ...` rather than `$x := ...`
  std::vector<std::string> decls;  // declared or assigned variables
  std::vector<Command> cmds;
};

struct Node {
  enum class Kind { kText, kAction, kIf, kWith, kRange };

  Kind kind;
  std::size_t pos = 0;
  std::size_t end = 0;
  std::string text;                // kText
  std::unique_ptr<Pipeline> pipe;  // everything but kText
  std::vector<Node> list;          // kIf/kWith/kRange: the body
  std::vector<Node> else_list;
  bool has_else = false;
};

struct Tree {
  std::string text;
  std::vector<Node> root;
};

}  // namespace iu::gotemplate::detail
