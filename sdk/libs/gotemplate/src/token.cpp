// Token helpers shared by the lexer and the parser.
#include "lexer.hpp"
#include "strconv.hpp"
#include "unicode.hpp"

namespace iu::gotemplate::detail {

Tok word_token(std::string_view word) {
  if (word == "block") return Tok::kBlock;
  if (word == "break") return Tok::kBreak;
  if (word == "continue") return Tok::kContinue;
  if (word == "define") return Tok::kDefine;
  if (word == "else") return Tok::kElse;
  if (word == "end") return Tok::kEnd;
  if (word == "if") return Tok::kIf;
  if (word == "range") return Tok::kRange;
  if (word == "nil") return Tok::kNil;
  if (word == "template") return Tok::kTemplate;
  if (word == "with") return Tok::kWith;
  if (word == "true" || word == "false") return Tok::kBool;
  return Tok::kIdentifier;
}

std::string describe(const Token& token) {
  if (token.type == Tok::kEof) return "EOF";
  if (token.type == Tok::kError) return token.text;
  if (token.type >= Tok::kBlock) return "<" + token.text + ">";
  if (rune_count(token.text) > 10) {
    std::size_t cut = 0;
    for (int i = 0; i < 10; ++i) cut += decode_rune(token.text, cut).width;
    return quote(std::string_view(token.text).substr(0, cut), false) + "...";
  }
  return quote(token.text, false);
}

}  // namespace iu::gotemplate::detail
