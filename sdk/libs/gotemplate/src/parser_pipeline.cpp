// Pipelines, commands and operands: the inside of an action.
#include <algorithm>

#include "number.hpp"
#include "parser_impl.hpp"
#include "strconv.hpp"

namespace iu::gotemplate::detail {
namespace {

struct FunctionName {
  std::string_view name;
  Builtin builtin;
};

constexpr FunctionName kFunctions[] = {
    {"and", Builtin::kAnd},       {"or", Builtin::kOr},           {"not", Builtin::kNot},
    {"len", Builtin::kLen},       {"index", Builtin::kIndex},     {"print", Builtin::kPrint},
    {"printf", Builtin::kPrintf}, {"println", Builtin::kPrintln}, {"eq", Builtin::kEq},
    {"ne", Builtin::kNe},         {"lt", Builtin::kLt},           {"le", Builtin::kLe},
    {"gt", Builtin::kGt},         {"ge", Builtin::kGe},
};

// Go's other builtins: named in the error so nobody hunts for a typo.
constexpr std::string_view kUnsupportedFunctions[] = {"call", "html", "js", "slice", "urlquery"};

}  // namespace

std::unique_ptr<Pipeline> Parser::pipeline(std::string_view context, Tok end) {
  auto pipe = std::make_unique<Pipeline>();
  pipe->pos = peek_non_space().pos;
  // Declarations: "$x :=", "$x =", and in range "$i, $e :=".
  while (peek_non_space().type == Tok::kVariable) {
    const std::size_t variable_index = index_;
    const Token& variable = next();
    const Token& after = peek_non_space();
    if (after.type == Tok::kAssign || after.type == Tok::kDeclare) {
      pipe->is_assign = after.type == Tok::kAssign;
      next_non_space();
      pipe->decls.push_back(variable.text);
      vars_.push_back(variable.text);
      break;
    }
    if (after.type == Tok::kChar && after.text == ",") {
      next_non_space();
      pipe->decls.push_back(variable.text);
      vars_.push_back(variable.text);
      if (context == "range" && pipe->decls.size() < 2) {
        const Tok second = peek_non_space().type;
        if (second == Tok::kVariable || second == Tok::kRightDelim || second == Tok::kRightParen) {
          continue;  // the element variable follows
        }
        fail(peek_non_space().pos, "range can only initialize variables");
      }
      fail(after.pos, "too many declarations in " + std::string(context));
    }
    index_ = variable_index;  // an operand, not a declaration
    break;
  }
  while (true) {
    const Token& token = next_non_space();
    if (token.type == end) {
      check_pipeline(*pipe, context, token.pos);
      pipe->end = token.pos;
      return pipe;
    }
    switch (token.type) {
      case Tok::kBool:
      case Tok::kCharConstant:
      case Tok::kComplex:
      case Tok::kDot:
      case Tok::kField:
      case Tok::kIdentifier:
      case Tok::kNumber:
      case Tok::kNil:
      case Tok::kRawString:
      case Tok::kString:
      case Tok::kVariable:
      case Tok::kLeftParen:
        backup();
        pipe->cmds.push_back(command());
        break;
      default:
        unexpected(token, context);
    }
  }
}

void Parser::check_pipeline(const Pipeline& pipe, std::string_view context, std::size_t pos) const {
  if (pipe.cmds.empty()) fail(pos, "missing value for " + std::string(context));
  // Only the first command may start with a constant: `x | "s"` has nothing to call.
  for (std::size_t i = 1; i < pipe.cmds.size(); ++i) {
    switch (pipe.cmds[i].args.front().kind) {
      case Operand::Kind::kBool:
      case Operand::Kind::kDot:
      case Operand::Kind::kNil:
      case Operand::Kind::kNumber:
      case Operand::Kind::kString:
        fail(pipe.cmds[i].pos, "non executable command in pipeline stage " + std::to_string(i + 1));
      default:
        break;
    }
  }
}

Command Parser::command() {
  Command cmd;
  cmd.pos = peek_non_space().pos;
  while (true) {
    peek_non_space();
    if (auto op = operand()) cmd.args.push_back(std::move(*op));
    const Token& token = next();
    if (token.type == Tok::kSpace) continue;
    if (token.type == Tok::kRightDelim || token.type == Tok::kRightParen) {
      backup();
    } else if (token.type != Tok::kPipe) {
      unexpected(token, "operand");
    }
    break;
  }
  if (cmd.args.empty()) fail(cmd.pos, "empty command");
  cmd.end = cmd.args.back().end;
  return cmd;
}

std::optional<Operand> Parser::operand() {
  std::optional<Operand> node = term();
  if (!node || peek().type != Tok::kField) return node;
  std::vector<std::string> fields;
  std::size_t end = node->end;
  while (peek().type == Tok::kField) {
    const Token& field = next();
    fields.push_back(field.text.substr(1));
    end = field.pos + field.text.size();
  }
  switch (node->kind) {
    case Operand::Kind::kField:
    case Operand::Kind::kVariable:
      node->idents.insert(node->idents.end(), fields.begin(), fields.end());
      node->end = end;
      return node;
    case Operand::Kind::kBool:
    case Operand::Kind::kString:
    case Operand::Kind::kNumber:
    case Operand::Kind::kNil:
    case Operand::Kind::kDot:
      fail(node->end, "unexpected . after term " + quote(source(node->pos, node->end), false));
    default: {
      Operand chain{Operand::Kind::kChain, node->pos, end};
      chain.idents = std::move(fields);
      chain.base = std::make_unique<Operand>(std::move(*node));
      return chain;
    }
  }
}

std::optional<Operand> Parser::term() {
  const Token& token = next_non_space();
  const std::size_t end = token.pos + token.text.size();
  switch (token.type) {
    case Tok::kIdentifier:
      return function(token);
    case Tok::kDot:
      return Operand{Operand::Kind::kDot, token.pos, end};
    case Tok::kNil:
      return Operand{Operand::Kind::kNil, token.pos, end};
    case Tok::kVariable: {
      if (std::find(vars_.begin(), vars_.end(), token.text) == vars_.end()) {
        fail(token.pos, "undefined variable \"" + token.text + "\"");
      }
      Operand op{Operand::Kind::kVariable, token.pos, end};
      op.idents.push_back(token.text);
      return op;
    }
    case Tok::kField: {
      Operand op{Operand::Kind::kField, token.pos, end};
      op.idents.push_back(token.text.substr(1));
      return op;
    }
    case Tok::kBool: {
      Operand op{Operand::Kind::kBool, token.pos, end};
      op.boolean = token.text == "true";
      return op;
    }
    case Tok::kCharConstant:
    case Tok::kComplex:
    case Tok::kNumber:
      return number(token);
    case Tok::kLeftParen: {
      const Nesting nesting(*this, token.pos);
      Operand op{Operand::Kind::kPipeline, token.pos, end};
      op.pipe = pipeline("parenthesized pipeline", Tok::kRightParen);
      op.end = consumed_end();
      return op;
    }
    case Tok::kString:
    case Tok::kRawString: {
      std::optional<std::string> value = unquote(token.text);
      if (!value) fail(token.pos, "invalid syntax in string literal " + token.text);
      Operand op{Operand::Kind::kString, token.pos, end};
      op.text = std::move(*value);
      return op;
    }
    default:
      backup();
      return std::nullopt;
  }
}

Operand Parser::function(const Token& token) const {
  for (const FunctionName& f : kFunctions) {
    if (f.name == token.text) {
      Operand op{Operand::Kind::kFunction, token.pos, token.pos + token.text.size()};
      op.text = token.text;
      op.function = f.builtin;
      return op;
    }
  }
  for (std::string_view name : kUnsupportedFunctions) {
    if (name == token.text) {
      fail(token.pos, "function \"" + token.text + "\" is not supported in these templates");
    }
  }
  fail(token.pos, "function \"" + token.text + "\" not defined");
}

Operand Parser::number(const Token& token) const {
  auto value = parse_number(token.text, token.type == Tok::kCharConstant);
  if (auto* message = std::get_if<std::string>(&value)) fail(token.pos, *message);
  Operand op{Operand::Kind::kNumber, token.pos, token.pos + token.text.size()};
  op.number = std::get<std::int64_t>(value);
  return op;
}

}  // namespace iu::gotemplate::detail
