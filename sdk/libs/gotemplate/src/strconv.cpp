#include "strconv.hpp"

#include <cstdint>

#include "unicode.hpp"

namespace iu::gotemplate::detail {
namespace {

constexpr char kLowerHex[] = "0123456789abcdef";

void append_hex(std::string& out, std::uint32_t v, int digits) {
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kLowerHex[(v >> shift) & 0xF];
}

// strconv's appendEscapedRune.
void append_escaped_rune(std::string& out, char32_t r, char quote, bool ascii_only) {
  if (r == static_cast<char32_t>(quote) || r == '\\') {
    out += '\\';
    out += static_cast<char>(r);
    return;
  }
  if (ascii_only ? (r < 0x80 && is_print(r)) : is_print(r)) {
    append_rune(out, r);
    return;
  }
  switch (r) {
    case '\a':
      out += "\\a";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\v':
      out += "\\v";
      return;
    default:
      break;
  }
  if (r < ' ' || r == 0x7F) {
    out += "\\x";
    append_hex(out, r, 2);
    return;
  }
  if (!valid_rune(r)) r = kRuneError;
  if (r < 0x10000) {
    out += "\\u";
    append_hex(out, r, 4);
  } else {
    out += "\\U";
    append_hex(out, r, 8);
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string quote(std::string_view s, bool ascii_only) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const DecodedRune d = decode_rune(s, i);
    if (d.width == 1 && d.rune == kRuneError) {
      out += "\\x";
      append_hex(out, static_cast<unsigned char>(s[i]), 2);
    } else {
      append_escaped_rune(out, d.rune, '"', ascii_only);
    }
    i += d.width;
  }
  out += '"';
  return out;
}

std::string quote_rune(char32_t r, bool ascii_only) {
  if (!valid_rune(r)) r = kRuneError;
  std::string out = "'";
  append_escaped_rune(out, r, '\'', ascii_only);
  out += '\'';
  return out;
}

bool can_backquote(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const DecodedRune d = decode_rune(s, i);
    i += d.width;
    if (d.width > 1) {
      if (d.rune == 0xFEFF) return false;  // an invisible BOM
      continue;
    }
    if (d.rune == kRuneError) return false;
    if ((d.rune < ' ' && d.rune != '\t') || d.rune == '`' || d.rune == 0x7F) return false;
  }
  return true;
}

std::optional<UnquotedChar> unquote_char(std::string_view s, char quote) {
  if (s.empty()) return std::nullopt;
  const char c = s[0];
  if (c == quote && (quote == '\'' || quote == '"')) return std::nullopt;
  if (static_cast<unsigned char>(c) >= 0x80) {
    const DecodedRune d = decode_rune(s, 0);
    return UnquotedChar{d.rune, true, d.width};
  }
  if (c != '\\') return UnquotedChar{static_cast<unsigned char>(c), false, 1};
  if (s.size() <= 1) return std::nullopt;
  const char e = s[1];
  switch (e) {
    case 'a':
      return UnquotedChar{'\a', false, 2};
    case 'b':
      return UnquotedChar{'\b', false, 2};
    case 'f':
      return UnquotedChar{'\f', false, 2};
    case 'n':
      return UnquotedChar{'\n', false, 2};
    case 'r':
      return UnquotedChar{'\r', false, 2};
    case 't':
      return UnquotedChar{'\t', false, 2};
    case 'v':
      return UnquotedChar{'\v', false, 2};
    case '\\':
      return UnquotedChar{'\\', false, 2};
    case 'x':
    case 'u':
    case 'U': {
      const std::size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      if (s.size() < 2 + n) return std::nullopt;
      char32_t v = 0;
      for (std::size_t j = 0; j < n; ++j) {
        const int h = hex_value(s[2 + j]);
        if (h < 0) return std::nullopt;
        v = (v << 4) | static_cast<char32_t>(h);
      }
      if (e == 'x') return UnquotedChar{v, false, 2 + n};
      if (!valid_rune(v)) return std::nullopt;
      return UnquotedChar{v, true, 2 + n};
    }
    case '\'':
    case '"':
      if (e != quote) return std::nullopt;
      return UnquotedChar{static_cast<char32_t>(e), false, 2};
    default:
      break;
  }
  if (e < '0' || e > '7' || s.size() < 4) return std::nullopt;
  char32_t v = static_cast<char32_t>(e - '0');
  for (std::size_t j = 2; j < 4; ++j) {
    if (s[j] < '0' || s[j] > '7') return std::nullopt;
    v = (v << 3) | static_cast<char32_t>(s[j] - '0');
  }
  if (v > 255) return std::nullopt;
  return UnquotedChar{v, false, 4};
}

std::optional<std::string> unquote(std::string_view literal) {
  if (literal.size() < 2 || literal.front() != literal.back()) return std::nullopt;
  const std::string_view body = literal.substr(1, literal.size() - 2);
  std::string out;
  if (literal.front() == '`') {
    if (body.find('`') != std::string_view::npos) return std::nullopt;
    for (char c : body) {
      if (c != '\r') out += c;
    }
    return out;
  }
  if (literal.front() != '"') return std::nullopt;
  for (std::size_t i = 0; i < body.size();) {
    if (body[i] == '\n') return std::nullopt;
    const auto c = unquote_char(body.substr(i), '"');
    if (!c) return std::nullopt;
    if (c->value < 0x80 || !c->multibyte) {
      out += static_cast<char>(c->value);
    } else {
      append_rune(out, c->value);
    }
    i += c->consumed;
  }
  return out;
}

}  // namespace iu::gotemplate::detail
