// Tokens of a template, split exactly as Go 1.19's text/template/parse lexer splits them,
// including its whitespace trimming: "{{- " drops the white space (" \t\r\n") before the
// action, " -}}" the white space after it, and comments vanish with their delimiters.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace iu::gotemplate::detail {

enum class Tok {
  kError,  // text holds the message; always the last token
  kBool,
  kChar,  // a printable ASCII character with no other meaning, e.g. ','
  kCharConstant,
  kComplex,
  kAssign,   // =
  kDeclare,  // :=
  kEof,
  kField,  // .Name
  kIdentifier,
  kLeftDelim,
  kLeftParen,
  kNumber,
  kPipe,
  kRawString,
  kRightDelim,
  kRightParen,
  kSpace,
  kString,
  kText,
  kVariable,  // $ or $name
  // keywords
  kBlock,
  kBreak,
  kContinue,
  kDot,
  kDefine,
  kElse,
  kEnd,
  kIf,
  kNil,
  kRange,
  kTemplate,
  kWith,
};

struct Token {
  Tok type;
  std::size_t pos;   // byte offset of the token in the template text
  std::string text;  // the token's bytes (the message for kError)
};

// The token of an identifier-like word: a keyword, true/false (kBool) or kIdentifier.
Tok word_token(std::string_view word);

// Go's item.String(), for "unexpected X in Y" messages.
std::string describe(const Token& token);

// Splits `input`; the result ends with a kEof or a kError token.
std::vector<Token> lex(std::string_view input);

}  // namespace iu::gotemplate::detail
