// Padding and the number, character and string conversions of Go's fmt (format.go).
#include "printer.hpp"
#include "strconv.hpp"
#include "unicode.hpp"

namespace iu::gotemplate::detail {
namespace {

constexpr char kLowerDigits[] = "0123456789abcdefx";
constexpr char kUpperDigits[] = "0123456789ABCDEFX";

}  // namespace

void Printer::write_padding(int n) {
  if (n <= 0) return;
  buf_.append(static_cast<std::size_t>(n), flags.zero ? '0' : ' ');
}

void Printer::pad(std::string_view s) {
  if (!flags.wid_present || wid == 0) {
    write(s);
    return;
  }
  const int width = wid - static_cast<int>(rune_count(s));
  if (!flags.minus) {
    write_padding(width);
    write(s);
  } else {
    write(s);
    write_padding(width);
  }
}

void Printer::fmt_boolean(bool v) { pad(v ? "true" : "false"); }

void Printer::fmt_integer(std::uint64_t u, int base, bool is_signed, char32_t verb, bool upper) {
  const char* digits = upper ? kUpperDigits : kLowerDigits;
  const bool negative = is_signed && static_cast<std::int64_t>(u) < 0;
  if (negative) u = 0 - u;
  int min_digits = 0;
  if (flags.prec_present) {
    min_digits = prec;
    if (prec == 0 && u == 0) {  // %.0d of 0 prints nothing but the padding
      const bool zero = flags.zero;
      flags.zero = false;
      write_padding(wid);
      flags.zero = zero;
      return;
    }
  } else if (flags.zero && flags.wid_present) {
    min_digits = wid;
    if (negative || flags.plus || flags.space) --min_digits;  // room for the sign
  }
  std::string out;  // built backwards
  const auto b = static_cast<std::uint64_t>(base);
  do {
    out += digits[u % b];
    u /= b;
  } while (u > 0);
  while (static_cast<int>(out.size()) < min_digits) out += '0';
  if (flags.sharp) {
    if (base == 2) {
      out += "b0";
    } else if (base == 8 && out.back() != '0') {
      out += '0';
    } else if (base == 16) {
      out += digits[16];
      out += '0';
    }
  }
  if (verb == 'O') out += "o0";
  if (negative) {
    out += '-';
  } else if (flags.plus) {
    out += '+';
  } else if (flags.space) {
    out += ' ';
  }
  const std::string forward(out.rbegin(), out.rend());
  const bool zero = flags.zero;
  flags.zero = false;
  pad(forward);
  flags.zero = zero;
}

void Printer::fmt_unicode(std::uint64_t u) {
  const std::uint64_t rune = u;
  const bool printable = flags.sharp && u <= kMaxRune && is_print(static_cast<char32_t>(u));
  std::string hex;  // backwards
  int min_digits = flags.prec_present && prec > 4 ? prec : 4;
  do {
    hex += kUpperDigits[u & 0xF];
    u >>= 4;
    --min_digits;
  } while (u > 0);
  while (min_digits-- > 0) hex += '0';
  std::string out = "U+" + std::string(hex.rbegin(), hex.rend());
  if (printable) {
    out += " '";
    append_rune(out, static_cast<char32_t>(rune));
    out += '\'';
  }
  const bool zero = flags.zero;
  flags.zero = false;
  pad(out);
  flags.zero = zero;
}

void Printer::fmt_c(std::uint64_t c) {
  std::string out;
  append_rune(out, c > kMaxRune ? kRuneError : static_cast<char32_t>(c));
  pad(out);
}

void Printer::fmt_qc(std::uint64_t c) {
  const char32_t r = c > kMaxRune ? kRuneError : static_cast<char32_t>(c);
  pad(quote_rune(r, flags.plus));
}

void Printer::fmt_s(std::string_view s) {
  if (flags.prec_present) {  // at most prec runes
    std::size_t end = 0;
    for (int n = 0; n < prec && end < s.size(); ++n) end += decode_rune(s, end).width;
    s = s.substr(0, end);
  }
  pad(s);
}

void Printer::fmt_sx(std::string_view s, bool upper) {
  const char* digits = upper ? kUpperDigits : kLowerDigits;
  std::size_t length = s.size();
  if (flags.prec_present && static_cast<std::size_t>(prec) < length) {
    length = static_cast<std::size_t>(prec);
  }
  int width = 2 * static_cast<int>(length);
  if (width > 0) {
    if (flags.space) {
      if (flags.sharp) width *= 2;
      width += static_cast<int>(length) - 1;
    } else if (flags.sharp) {
      width += 2;
    }
  } else {
    if (flags.wid_present) write_padding(wid);
    return;
  }
  if (flags.wid_present && wid > width && !flags.minus) write_padding(wid - width);
  if (flags.sharp) {
    buf_ += '0';
    buf_ += digits[16];
  }
  for (std::size_t i = 0; i < length; ++i) {
    if (flags.space && i > 0) {
      buf_ += ' ';
      if (flags.sharp) {
        buf_ += '0';
        buf_ += digits[16];
      }
    }
    const auto c = static_cast<unsigned char>(s[i]);
    buf_ += digits[c >> 4];
    buf_ += digits[c & 0xF];
  }
  if (flags.wid_present && wid > width && flags.minus) write_padding(wid - width);
}

void Printer::fmt_q(std::string_view s) {
  if (flags.prec_present) {
    std::size_t end = 0;
    for (int n = 0; n < prec && end < s.size(); ++n) end += decode_rune(s, end).width;
    s = s.substr(0, end);
  }
  if (flags.sharp && can_backquote(s)) {
    pad("`" + std::string(s) + "`");
  } else {
    pad(quote(s, flags.plus));
  }
}

}  // namespace iu::gotemplate::detail
