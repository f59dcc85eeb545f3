// Go's fmt.Sprint, Sprintln and Sprintf (print.go: doPrint, doPrintln, doPrintf).
#include "printer.hpp"
#include "unicode.hpp"

namespace iu::gotemplate::detail {
namespace {

// Go's tooLarge: widths and precisions beyond a million are refused.
bool too_large(int x) { return x > 1000000 || x < -1000000; }

struct Number {
  int value = 0;
  bool present = false;
  std::size_t next = 0;
};

// parsenum: the decimal number at format[start:end).
Number parse_num(std::string_view format, std::size_t start, std::size_t end) {
  Number n;
  n.next = start;
  if (start >= end) {
    n.next = end;
    return n;
  }
  for (; n.next < end && format[n.next] >= '0' && format[n.next] <= '9'; ++n.next) {
    if (too_large(n.value)) return {0, false, end};
    n.value = n.value * 10 + (format[n.next] - '0');
    n.present = true;
  }
  return n;
}

class Formatter {
 public:
  Formatter(std::string& out, const std::vector<Value>& args) : p_(out), args_(args) {}

  void run(std::string_view format);

 private:
  // intFromArg: a '*' width or precision.
  Number int_from_arg() {
    Number n;
    n.next = arg_num_;
    if (arg_num_ < args_.size()) {
      const Value& a = args_[arg_num_];
      if (a.kind() == Value::Kind::kInt && a.as_int() >= INT32_MIN && a.as_int() <= INT32_MAX) {
        n.value = static_cast<int>(a.as_int());
        n.present = true;
      }
      n.next = arg_num_ + 1;
      if (too_large(n.value)) n = {0, false, n.next};
    }
    return n;
  }

  // argNumber: an explicit "[n]" argument index at format[i]; returns the new i.
  std::size_t arg_number(std::string_view format, std::size_t i, bool* found) {
    *found = false;
    if (i >= format.size() || format[i] != '[') return i;
    reordered_ = true;
    const std::string_view rest = format.substr(i);
    std::size_t width = 1;
    bool ok = false;
    int index = 0;
    if (rest.size() >= 3) {
      const std::size_t close = rest.find(']', 1);
      if (close != std::string_view::npos) {
        const Number n = parse_num(rest, 1, close);
        width = close + 1;
        ok = n.present && n.next == close;
        index = n.value - 1;
      }
    }
    if (ok && index >= 0 && static_cast<std::size_t>(index) < args_.size()) {
      arg_num_ = static_cast<std::size_t>(index);
      *found = true;
      return i + width;
    }
    good_arg_num_ = false;
    *found = ok;
    return i + width;
  }

  Printer p_;
  const std::vector<Value>& args_;
  std::size_t arg_num_ = 0;
  bool reordered_ = false;
  bool good_arg_num_ = true;
};

void Formatter::run(std::string_view format) {
  const std::size_t end = format.size();
  bool after_index = false;
  for (std::size_t i = 0; i < end;) {
    good_arg_num_ = true;
    const std::size_t literal = i;
    while (i < end && format[i] != '%') ++i;
    if (i > literal) p_.write(format.substr(literal, i - literal));
    if (i >= end) break;
    ++i;  // the '%'
    p_.clear_flags();
    for (; i < end; ++i) {
      const char c = format[i];
      if (c == '#') {
        p_.flags.sharp = true;
      } else if (c == '0') {
        p_.flags.zero = !p_.flags.minus;  // only pad with zeros on the left
      } else if (c == '+') {
        p_.flags.plus = true;
      } else if (c == '-') {
        p_.flags.minus = true;
        p_.flags.zero = false;
      } else if (c == ' ') {
        p_.flags.space = true;
      } else {
        break;
      }
    }
    i = arg_number(format, i, &after_index);
    // Width.
    if (i < end && format[i] == '*') {
      ++i;
      const Number n = int_from_arg();
      p_.wid = n.value;
      p_.flags.wid_present = n.present;
      arg_num_ = n.next;
      if (!n.present) p_.write("%!(BADWIDTH)");
      if (p_.wid < 0) {
        p_.wid = -p_.wid;
        p_.flags.minus = true;
        p_.flags.zero = false;
      }
      after_index = false;
    } else {
      const Number n = parse_num(format, i, end);
      p_.wid = n.value;
      p_.flags.wid_present = n.present;
      i = n.next;
      if (after_index && n.present) good_arg_num_ = false;  // "%[3]2d"
    }
    // Precision.
    if (i + 1 < end && format[i] == '.') {
      ++i;
      if (after_index) good_arg_num_ = false;  // "%[3].2d"
      i = arg_number(format, i, &after_index);
      if (i < end && format[i] == '*') {
        ++i;
        const Number n = int_from_arg();
        p_.prec = n.value;
        p_.flags.prec_present = n.present;
        arg_num_ = n.next;
        if (p_.prec < 0) {
          p_.prec = 0;
          p_.flags.prec_present = false;
        }
        if (!n.present) p_.write("%!(BADPREC)");
        after_index = false;
      } else {
        const Number n = parse_num(format, i, end);
        p_.prec = n.value;
        p_.flags.prec_present = true;  // "%.d" means precision 0
        i = n.next;
      }
    }
    if (!after_index) i = arg_number(format, i, &after_index);
    if (i >= end) {
      p_.write("%!(NOVERB)");
      break;
    }
    const DecodedRune verb = decode_rune(format, i);
    i += verb.width;
    if (verb.rune == '%') {  // takes no argument and ignores width and precision
      p_.write("%");
    } else if (!good_arg_num_) {
      p_.write("%!");
      p_.write_rune(verb.rune);
      p_.write("(BADINDEX)");
    } else if (arg_num_ >= args_.size()) {
      p_.write("%!");
      p_.write_rune(verb.rune);
      p_.write("(MISSING)");
    } else {
      if (verb.rune == 'v') {
        p_.flags.sharp_v = p_.flags.sharp;
        p_.flags.sharp = false;
        p_.flags.plus_v = p_.flags.plus;
        p_.flags.plus = false;
      }
      p_.print_arg(args_[arg_num_], verb.rune);
      ++arg_num_;
    }
  }
  if (!reordered_ && arg_num_ < args_.size()) {
    p_.clear_flags();
    p_.write("%!(EXTRA ");
    for (std::size_t k = arg_num_; k < args_.size(); ++k) {
      if (k > arg_num_) p_.write(", ");
      if (args_[k].is_null()) {
        p_.write("<nil>");
      } else {
        p_.write(go_type_name(args_[k]));
        p_.write("=");
        p_.print_arg(args_[k], 'v');
      }
    }
    p_.write(")");
  }
}

}  // namespace

std::string go_sprint(const std::vector<Value>& args) {
  std::string out;
  Printer p(out);
  bool prev_string = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const bool is_string = args[i].kind() == Value::Kind::kString;
    if (i > 0 && !is_string && !prev_string) p.write(" ");  // between two non-strings
    p.print_arg(args[i], 'v');
    prev_string = is_string;
  }
  return out;
}

std::string go_sprintln(const std::vector<Value>& args) {
  std::string out;
  Printer p(out);
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i > 0) p.write(" ");
    p.print_arg(args[i], 'v');
  }
  p.write("\n");
  return out;
}

std::string go_sprintf(std::string_view format, const std::vector<Value>& args) {
  std::string out;
  Formatter(out, args).run(format);
  return out;
}

}  // namespace iu::gotemplate::detail
