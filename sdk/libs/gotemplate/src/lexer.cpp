#include "lexer.hpp"

#include <cstdio>

#include "strconv.hpp"
#include "unicode.hpp"

namespace iu::gotemplate::detail {
namespace {

constexpr char32_t kEofRune = 0xFFFFFFFF;
constexpr std::string_view kLeftDelim = "{{";
constexpr std::string_view kRightDelim = "}}";
constexpr std::string_view kLeftComment = "/*";
constexpr std::string_view kRightComment = "*/";
constexpr std::string_view kSpaceChars = " \t\r\n";

bool is_space(char32_t r) { return r == ' ' || r == '\t' || r == '\r' || r == '\n'; }

bool has_left_trim_marker(std::string_view s) {
  return s.size() >= 2 && s[0] == '-' && is_space(static_cast<unsigned char>(s[1]));
}

bool has_right_trim_marker(std::string_view s) {
  return s.size() >= 2 && is_space(static_cast<unsigned char>(s[0])) && s[1] == '-';
}

// fmt's %#U: "U+0023 '#'".
std::string describe_rune(char32_t r) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(r));
  std::string out = buf;
  if (is_print(r)) {
    out += " '";
    append_rune(out, r);
    out += '\'';
  }
  return out;
}

class Lexer {
 public:
  explicit Lexer(std::string_view input) : in_(input) {}

  std::vector<Token> run() {
    enum class State { kText, kInsideAction, kDone } state = State::kText;
    while (state != State::kDone) {
      state = state == State::kText ? (lex_text() ? State::kInsideAction : State::kDone)
                                    : (lex_inside_action() ? State::kText : State::kDone);
    }
    return std::move(out_);
  }

 private:
  char32_t next() {
    if (pos_ >= in_.size()) {
      at_eof_ = true;
      return kEofRune;
    }
    const DecodedRune d = decode_rune(in_, pos_);
    pos_ += d.width;
    return d.rune;
  }
  void backup() {
    if (!at_eof_ && pos_ > 0) pos_ -= decode_last_rune(in_, pos_).width;
  }
  char32_t peek() {
    const char32_t r = next();
    backup();
    return r;
  }
  std::string_view rest() const { return in_.substr(std::min(pos_, in_.size())); }
  void emit(Tok type) {
    out_.push_back({type, start_, std::string(in_.substr(start_, pos_ - start_))});
    start_ = pos_;
  }
  void ignore() { start_ = pos_; }
  bool fail(std::string message) {
    out_.push_back({Tok::kError, start_, std::move(message)});
    return false;
  }

  // Is the lexer at "}}", possibly preceded by a trim marker " -"?
  bool at_right_delim(bool* trim) const {
    const std::string_view s = rest();
    if (has_right_trim_marker(s) && s.substr(2).starts_with(kRightDelim)) {
      *trim = true;
      return true;
    }
    *trim = false;
    return s.starts_with(kRightDelim);
  }

  // Emits the text before the next action; false at the end of the input (or on an error).
  bool lex_text() {
    while (true) {
      const std::size_t x = in_.find(kLeftDelim, pos_);
      if (x == std::string_view::npos) {
        pos_ = in_.size();
        if (pos_ > start_) emit(Tok::kText);
        emit(Tok::kEof);
        return false;
      }
      pos_ = x;
      std::size_t trim_length = 0;
      if (has_left_trim_marker(in_.substr(pos_ + kLeftDelim.size()))) {
        const std::string_view before = in_.substr(start_, pos_ - start_);
        const std::size_t last = before.find_last_not_of(kSpaceChars);
        trim_length = before.size() - (last == std::string_view::npos ? 0 : last + 1);
      }
      pos_ -= trim_length;
      if (pos_ > start_) emit(Tok::kText);
      pos_ += trim_length;
      ignore();
      // The left delimiter, and a comment that may follow it.
      pos_ += kLeftDelim.size();
      const std::size_t after_marker = has_left_trim_marker(rest()) ? 2 : 0;
      if (!in_.substr(pos_ + after_marker).starts_with(kLeftComment)) {
        start_ = pos_ - kLeftDelim.size();
        emit(Tok::kLeftDelim);
        pos_ += after_marker;
        ignore();
        paren_depth_ = 0;
        return true;
      }
      pos_ += after_marker;
      ignore();
      if (!lex_comment()) return false;
    }
  }

  bool lex_comment() {
    pos_ += kLeftComment.size();
    const std::size_t end = in_.find(kRightComment, pos_);
    if (end == std::string_view::npos) return fail("unclosed comment");
    pos_ = end + kRightComment.size();
    bool trim = false;
    if (!at_right_delim(&trim)) return fail("comment ends before closing delimiter");
    pos_ += (trim ? 2 : 0) + kRightDelim.size();
    if (trim) skip_leading_space();
    ignore();
    return true;
  }

  void skip_leading_space() {
    const std::size_t first = in_.find_first_not_of(kSpaceChars, pos_);
    pos_ = first == std::string_view::npos ? in_.size() : first;
  }

  bool lex_right_delim() {
    const bool trim = has_right_trim_marker(rest());
    if (trim) {
      pos_ += 2;
      ignore();
    }
    pos_ += kRightDelim.size();
    emit(Tok::kRightDelim);
    if (trim) {
      skip_leading_space();
      ignore();
    }
    return true;
  }

  // Lexes one action up to and including its right delimiter; false on an error.
  bool lex_inside_action() {
    while (true) {
      bool trim = false;
      if (at_right_delim(&trim)) {
        if (paren_depth_ == 0) return lex_right_delim();
        return fail("unclosed left paren");
      }
      const char32_t r = next();
      bool ok = true;
      if (r == kEofRune) {
        return fail("unclosed action");
      } else if (is_space(r)) {
        backup();  // the space may belong to " -}}"
        if (!lex_space()) return lex_right_delim();
      } else if (r == '=') {
        emit(Tok::kAssign);
      } else if (r == ':') {
        if (next() != '=') return fail("expected :=");
        emit(Tok::kDeclare);
      } else if (r == '|') {
        emit(Tok::kPipe);
      } else if (r == '"') {
        ok = lex_quote('"', Tok::kString, "unterminated quoted string");
      } else if (r == '`') {
        ok = lex_raw_quote();
      } else if (r == '$') {
        ok = lex_field_or_variable(Tok::kVariable);
      } else if (r == '\'') {
        ok = lex_quote('\'', Tok::kCharConstant, "unterminated character constant");
      } else if (r == '.' && pos_ < in_.size() && (in_[pos_] < '0' || in_[pos_] > '9')) {
        ok = lex_field_or_variable(Tok::kField);
      } else if (r == '.' || r == '+' || r == '-' || (r >= '0' && r <= '9')) {
        backup();
        ok = lex_number();
      } else if (is_alphanumeric(r)) {
        backup();
        ok = lex_identifier();
      } else if (r == '(') {
        emit(Tok::kLeftParen);
        ++paren_depth_;
      } else if (r == ')') {
        emit(Tok::kRightParen);
        if (--paren_depth_ < 0) return fail("unexpected right paren " + describe_rune(r));
      } else if (r < 0x80 && is_print(r)) {
        emit(Tok::kChar);
      } else {
        return fail("unrecognized character in action: " + describe_rune(r));
      }
      if (!ok) return false;
    }
  }

  // Emits a run of spaces; false when the run is a lone space directly before "-}}".
  bool lex_space() {
    int spaces = 0;
    while (is_space(peek())) {
      next();
      ++spaces;
    }
    if (has_right_trim_marker(in_.substr(pos_ - 1)) &&
        in_.substr(pos_ + 1).starts_with(kRightDelim)) {
      backup();
      if (spaces == 1) return false;
    }
    emit(Tok::kSpace);
    return true;
  }

  bool at_terminator() {
    const char32_t r = peek();
    if (is_space(r)) return true;
    switch (r) {
      case kEofRune:
      case '.':
      case ',':
      case '|':
      case ':':
      case ')':
      case '(':
        return true;
      default:
        return rest().starts_with(kRightDelim);
    }
  }

  bool lex_identifier() {
    char32_t r;
    while (is_alphanumeric(r = next())) {
    }
    backup();
    if (!at_terminator()) return fail("bad character " + describe_rune(r));
    emit(word_token(in_.substr(start_, pos_ - start_)));
    return true;
  }

  // After '$' or '.': a bare "$" / "." or a name.
  bool lex_field_or_variable(Tok type) {
    if (at_terminator()) {
      emit(type == Tok::kVariable ? Tok::kVariable : Tok::kDot);
      return true;
    }
    char32_t r;
    while (is_alphanumeric(r = next())) {
    }
    backup();
    if (!at_terminator()) return fail("bad character " + describe_rune(r));
    emit(type);
    return true;
  }

  bool lex_quote(char32_t quote, Tok type, const char* unterminated) {
    while (true) {
      char32_t r = next();
      if (r == '\\') {
        r = next();
        if (r != kEofRune && r != '\n') continue;
      }
      if (r == kEofRune || r == '\n') return fail(unterminated);
      if (r == quote) break;
    }
    emit(type);
    return true;
  }

  bool lex_raw_quote() {
    while (true) {
      const char32_t r = next();
      if (r == kEofRune) return fail("unterminated raw quoted string");
      if (r == '`') break;
    }
    emit(Tok::kRawString);
    return true;
  }

  bool accept(std::string_view valid) {
    const char32_t r = next();
    if (r != kEofRune && r < 0x80 && valid.find(static_cast<char>(r)) != std::string_view::npos) {
      return true;
    }
    backup();
    return false;
  }
  void accept_run(std::string_view valid) {
    while (accept(valid)) {
    }
  }

  // Go's scanNumber: a permissive scan; the parser validates the text.
  bool scan_number() {
    accept("+-");
    std::string_view digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) {
        digits = "0123456789abcdefABCDEF_";
      } else if (accept("oO")) {
        digits = "01234567_";
      } else if (accept("bB")) {
        digits = "01_";
      }
    }
    accept_run(digits);
    if (accept(".")) accept_run(digits);
    if (digits.size() == 11 && accept("eE")) {
      accept("+-");
      accept_run("0123456789_");
    }
    if (digits.size() == 23 && accept("pP")) {
      accept("+-");
      accept_run("0123456789_");
    }
    accept("i");
    if (is_alphanumeric(peek())) {
      next();
      return false;
    }
    return true;
  }

  bool lex_number() {
    const auto bad = [&] {
      return fail("bad number syntax: " + quote(in_.substr(start_, pos_ - start_), false));
    };
    if (!scan_number()) return bad();
    const char32_t sign = peek();
    if (sign == '+' || sign == '-') {
      if (!scan_number() || in_[pos_ - 1] != 'i') return bad();
      emit(Tok::kComplex);
    } else {
      emit(Tok::kNumber);
    }
    return true;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  std::size_t start_ = 0;
  bool at_eof_ = false;
  int paren_depth_ = 0;
  std::vector<Token> out_;
};

}  // namespace

std::vector<Token> lex(std::string_view input) { return Lexer(input).run(); }

}  // namespace iu::gotemplate::detail
