// The parser's state, shared by parser.cpp (statements) and parser_pipeline.cpp (pipelines).
// The structure follows Go's parser so that the same inputs fail with the same messages.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ast.hpp"
#include "lexer.hpp"

namespace iu::gotemplate::detail {

class Parser {
 public:
  explicit Parser(std::string_view text);
  std::vector<Node> parse();

 private:
  // What text_or_action() found: a node, or the {{end}} / {{else}} closing a list.
  struct Item {
    enum class Kind { kNode, kEnd, kElse } kind;
    std::size_t pos;
    Node node;
  };
  struct Open {
    const char* keyword;
    std::size_t pos;
  };

  // Tokens.
  const Token& next();
  void backup(std::size_t n = 1) { index_ -= n; }
  const Token& peek();
  const Token& next_non_space();
  const Token& peek_non_space();
  const Token& expect(Tok type, std::string_view context);

  // Errors.
  [[noreturn]] void fail(std::size_t pos, const std::string& message) const;
  [[noreturn]] void unexpected(const Token& token, std::string_view context) const;
  std::string source(std::size_t pos, std::size_t end) const;
  std::size_t consumed_end() const;  // where the last token read ends

  // Counts one level of nesting for its lifetime; too deep a template fails to parse instead
  // of exhausting the stack.
  class Nesting {
   public:
    Nesting(Parser& parser, std::size_t pos);
    ~Nesting() { --parser_.depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    Parser& parser_;
  };

  // Statements (parser.cpp).
  Item text_or_action();
  Item action(std::size_t delim_pos);
  Node control(Node::Kind kind, std::size_t pos);
  std::pair<std::vector<Node>, Item> item_list();

  // Pipelines (parser_pipeline.cpp).
  std::unique_ptr<Pipeline> pipeline(std::string_view context, Tok end);
  void check_pipeline(const Pipeline& pipe, std::string_view context, std::size_t pos) const;
  Command command();
  std::optional<Operand> operand();
  std::optional<Operand> term();
  Operand function(const Token& token) const;
  Operand number(const Token& token) const;

  std::string_view text_;
  std::vector<Token> tokens_;
  std::size_t index_ = 0;
  std::vector<std::string> vars_{"$"};    // variables in scope
  std::vector<Open> open_;                // enclosing {{if}}/{{with}}/{{range}}
  std::size_t depth_ = 0;                 // nesting of control structures and parentheses
  std::size_t action_start_ = kNoAction;  // the current action's "{{", for lexer errors

  static constexpr std::size_t kNoAction = static_cast<std::size_t>(-1);
};

}  // namespace iu::gotemplate::detail
