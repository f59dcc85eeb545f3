// Go's fmt package over template values: print, println and printf, and the text an action
// like {{ .X }} writes. Formats exactly as Go 1.19 does, including its %!verb(type=value)
// complaints, for every verb and flag, with one exception: %p of a list or map (Go prints a
// memory address) throws FormatUnsupported.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "iu/gotemplate/value.hpp"

namespace iu::gotemplate::detail {

class FormatUnsupported : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The reflect type string Go would show for the value (%T, %!verb(type=...)). Null is an empty
// interface; a record is an anonymous struct of its fields' types.
std::string go_type_name(const Value& v);

// In the argument lists below a null Value is Go's untyped nil.
std::string go_sprint(const std::vector<Value>& args);
std::string go_sprintln(const std::vector<Value>& args);
std::string go_sprintf(std::string_view format, const std::vector<Value>& args);

struct FmtFlags {
  bool wid_present = false;
  bool prec_present = false;
  bool minus = false;
  bool plus = false;
  bool sharp = false;
  bool space = false;
  bool zero = false;
  bool plus_v = false;   // %+v
  bool sharp_v = false;  // %#v
};

// One formatting run: Go's pp and fmt structs.
class Printer {
 public:
  explicit Printer(std::string& buf) : buf_(buf) {}

  void clear_flags() { flags = FmtFlags{}; }
  // printArg: a top-level argument; null is untyped nil.
  void print_arg(const Value& arg, char32_t verb);

  FmtFlags flags;
  int wid = 0;
  int prec = 0;

  // Primitives (format.cpp): Go's fmt methods of the same names.
  void write(std::string_view s) { buf_ += s; }
  void write_rune(char32_t r);
  void write_padding(int n);
  void pad(std::string_view s);
  void fmt_boolean(bool v);
  void fmt_integer(std::uint64_t u, int base, bool is_signed, char32_t verb, bool upper);
  void fmt_unicode(std::uint64_t u);
  void fmt_c(std::uint64_t c);
  void fmt_qc(std::uint64_t c);
  void fmt_s(std::string_view s);
  void fmt_sx(std::string_view s, bool upper);
  void fmt_q(std::string_view s);

 private:
  void print_value(const Value& v, char32_t verb, int depth);
  void print_bool(const Value& v, char32_t verb);
  void print_int(const Value& v, char32_t verb);
  void print_string(const Value& v, char32_t verb);
  void bad_verb(char32_t verb, const Value* v);

  std::string& buf_;
};

}  // namespace iu::gotemplate::detail
