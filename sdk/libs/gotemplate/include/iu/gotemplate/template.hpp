// A Go text/template engine for the subset SPEC.md §9.6 allows in branch-name and
// commit-message templates, with output byte-identical to Go 1.19 for that subset:
//
//   {{ .Field }} {{ .A.B }} {{ $ }} {{ $x := pipeline }} {{ $x = pipeline }}
//   {{ if }} {{ else if }} {{ else }} {{ end }}, {{ with }}, {{ range [$i, $e :=] }} ... {{ else }}
//   {{- trimming -}}, {{/* comments */}}, pipelines `a | b`, parentheses
//   literals: "strings", `raw strings`, 'c', integers (0x1F, 0o17, 0b101, 1_000), true, false, nil
//   functions: and or not len index print printf println eq ne lt le gt ge
//
// Everything else Go accepts ({{ template }}, {{ define }}, {{ block }}, {{ break }},
// {{ continue }}, `range $x = ...`, floating-point and complex constants, the functions call,
// html, js, slice and urlquery) is rejected when parsing, so a template either renders exactly
// as Go would or fails up front. Control structures and parentheses may nest 200 deep (each
// {{ else if }} is one level); deeper templates fail to parse rather than exhaust the stack.
// printf's %p of a list or map (a memory address in Go) is an execution error.
//
// Errors carry a 1-based line and column (in characters) of the offending token. Go reports
// the same problems, with the same wording where it has one, but only with a line number for
// parse errors.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "iu/gotemplate/value.hpp"

namespace iu::gotemplate {

namespace detail {
struct Tree;
}

// what() is "<line>:<column>: <message>".
class Error : public std::runtime_error {
 public:
  Error(int line, int column, const std::string& message);
  int line() const noexcept { return line_; }
  int column() const noexcept { return column_; }
  // The message without the position.
  const std::string& message() const noexcept { return message_; }

 private:
  int line_;
  int column_;
  std::string message_;
};

// The text is not a valid template of the subset.
class ParseError : public Error {
 public:
  using Error::Error;
};

// Rendering failed: a missing struct field, a bad function argument, a failed comparison...
class ExecError : public Error {
 public:
  using Error::Error;
};

class Template {
 public:
  // Throws ParseError.
  static Template parse(std::string_view text);

  // Renders the template with `data` as dot and `$`. Throws ExecError (no partial output).
  // Thread-safe: one Template may render on several threads at once.
  std::string execute(const Value& data) const;

  // The text the template was parsed from.
  const std::string& text() const;

 private:
  explicit Template(std::shared_ptr<const detail::Tree> tree) : tree_(std::move(tree)) {}

  std::shared_ptr<const detail::Tree> tree_;
};

}  // namespace iu::gotemplate
