#include "parser.hpp"

#include "iu/gotemplate/template.hpp"
#include "parser_impl.hpp"
#include "unicode.hpp"

namespace iu::gotemplate::detail {
namespace {

// Deeper nesting is certainly a mistake, and would only exhaust the stack.
constexpr std::size_t kMaxNesting = 200;

const char* keyword_of(Node::Kind kind) {
  switch (kind) {
    case Node::Kind::kIf:
      return "if";
    case Node::Kind::kWith:
      return "with";
    default:
      return "range";
  }
}

}  // namespace

Position position_of(std::string_view text, std::size_t pos) {
  pos = std::min(pos, text.size());
  const std::string_view before = text.substr(0, pos);
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (before[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(rune_count(before.substr(line_start))) + 1};
}

Tree parse_tree(std::string_view text) {
  Tree tree;
  tree.text = std::string(text);
  tree.root = Parser(tree.text).parse();
  return tree;
}

Parser::Parser(std::string_view text) : text_(text), tokens_(lex(text)) {}

const Token& Parser::next() {
  const Token& token = tokens_[std::min(index_, tokens_.size() - 1)];
  ++index_;
  return token;
}

const Token& Parser::peek() {
  const Token& token = next();
  backup();
  return token;
}

const Token& Parser::next_non_space() {
  while (true) {
    const Token& token = next();
    if (token.type != Tok::kSpace) return token;
  }
}

const Token& Parser::peek_non_space() {
  const Token& token = next_non_space();
  backup();
  return token;
}

const Token& Parser::expect(Tok type, std::string_view context) {
  const Token& token = next_non_space();
  if (token.type != type) unexpected(token, context);
  return token;
}

void Parser::fail(std::size_t pos, const std::string& message) const {
  const Position at = position_of(text_, pos);
  throw ParseError(at.line, at.column, message);
}

void Parser::unexpected(const Token& token, std::string_view context) const {
  if (token.type != Tok::kError) {
    fail(token.pos, "unexpected " + describe(token) + " in " + std::string(context));
  }
  std::string message = token.text;
  if (action_start_ != kNoAction) {
    const Position started = position_of(text_, action_start_);
    if (started.line != position_of(text_, token.pos).line) {
      const bool about_action = message.ends_with(" action");
      message += (about_action ? " started at " : " in action started at ") +
                 std::to_string(started.line) + ":" + std::to_string(started.column);
    }
  }
  fail(token.pos, message);
}

std::size_t Parser::consumed_end() const {
  const Token& last = tokens_[std::min(index_, tokens_.size()) - 1];
  return last.pos + (last.type == Tok::kError ? 0 : last.text.size());
}

std::string Parser::source(std::size_t pos, std::size_t end) const {
  return std::string(text_.substr(pos, end - pos));
}

std::vector<Node> Parser::parse() {
  std::vector<Node> root;
  while (peek().type != Tok::kEof) {
    Item item = text_or_action();
    if (item.kind != Item::Kind::kNode) {
      fail(item.pos, item.kind == Item::Kind::kEnd ? "unexpected {{end}}" : "unexpected {{else}}");
    }
    root.push_back(std::move(item.node));
  }
  return root;
}

Parser::Item Parser::text_or_action() {
  const Token& token = next_non_space();
  switch (token.type) {
    case Tok::kText:
      return {Item::Kind::kNode, token.pos,
              Node{Node::Kind::kText, token.pos, token.pos + token.text.size(), token.text}};
    case Tok::kLeftDelim: {
      action_start_ = token.pos;
      Item item = action(token.pos);
      action_start_ = kNoAction;
      return item;
    }
    case Tok::kIf:  // left pending by {{else if}} where only {{if}} allows it
      fail(token.pos, "unexpected <if> in input: {{else if}} is only allowed in {{if}}");
    default:
      unexpected(token, "input");
  }
}

Parser::Item Parser::action(std::size_t delim_pos) {
  const Token& token = next_non_space();
  switch (token.type) {
    case Tok::kBlock:
    case Tok::kBreak:
    case Tok::kContinue:
    case Tok::kDefine:
    case Tok::kTemplate:
      fail(token.pos, "{{" + token.text + "}} is not supported in these templates");
    case Tok::kElse: {
      // {{else if ...}} leaves the "if" pending for control() to pick up.
      const Token& after = peek_non_space();
      if (after.type == Tok::kIf) return {Item::Kind::kElse, after.pos, {}};
      expect(Tok::kRightDelim, "else");
      return {Item::Kind::kElse, token.pos, {}};
    }
    case Tok::kEnd:
      expect(Tok::kRightDelim, "end");
      return {Item::Kind::kEnd, token.pos, {}};
    case Tok::kIf:
      return {Item::Kind::kNode, token.pos, control(Node::Kind::kIf, delim_pos)};
    case Tok::kRange:
      return {Item::Kind::kNode, token.pos, control(Node::Kind::kRange, delim_pos)};
    case Tok::kWith:
      return {Item::Kind::kNode, token.pos, control(Node::Kind::kWith, delim_pos)};
    default:
      break;
  }
  backup();
  Node node{Node::Kind::kAction, delim_pos};
  node.pipe = pipeline("command", Tok::kRightDelim);
  node.end = consumed_end();
  return {Item::Kind::kNode, delim_pos, std::move(node)};
}

Parser::Nesting::Nesting(Parser& parser, std::size_t pos) : parser_(parser) {
  if (++parser_.depth_ > kMaxNesting) {
    parser_.fail(pos, "the template nests deeper than " + std::to_string(kMaxNesting) + " levels");
  }
}

Node Parser::control(Node::Kind kind, std::size_t pos) {
  const Nesting nesting(*this, pos);
  const char* keyword = keyword_of(kind);
  const std::size_t vars_mark = vars_.size();
  Node node{kind, pos};
  node.pipe = pipeline(keyword, Tok::kRightDelim);
  if (kind == Node::Kind::kRange && node.pipe->is_assign) {
    fail(node.pipe->pos,
         "{{range}} can only declare its variables with :=, not assign them with =");
  }
  open_.push_back({keyword, pos});
  auto [list, next_item] = item_list();
  node.list = std::move(list);
  if (next_item.kind == Item::Kind::kElse) {
    node.has_else = true;
    if (kind == Node::Kind::kIf && peek().type == Tok::kIf) {
      // {{if a}}x{{else if b}}y{{end}} is {{if a}}x{{else}}{{if b}}y{{end}}{{end}}: the inner
      // if consumes the only {{end}}.
      const std::size_t if_pos = next().pos;
      node.else_list.push_back(control(Node::Kind::kIf, if_pos));
    } else {
      auto [else_list, end_item] = item_list();
      if (end_item.kind != Item::Kind::kEnd) fail(end_item.pos, "expected end; found {{else}}");
      node.else_list = std::move(else_list);
    }
  }
  open_.pop_back();
  vars_.resize(vars_mark);
  node.end = consumed_end();
  return node;
}

std::pair<std::vector<Node>, Parser::Item> Parser::item_list() {
  std::vector<Node> list;
  while (peek_non_space().type != Tok::kEof) {
    Item item = text_or_action();
    if (item.kind != Item::Kind::kNode) return {std::move(list), std::move(item)};
    list.push_back(std::move(item.node));
  }
  const Open& open = open_.back();
  const Position at = position_of(text_, open.pos);
  fail(text_.size(), "unexpected EOF: {{" + std::string(open.keyword) + "}} at " +
                         std::to_string(at.line) + ":" + std::to_string(at.column) +
                         " has no {{end}}");
}

}  // namespace iu::gotemplate::detail
