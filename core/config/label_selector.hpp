// Kubernetes label selectors: the `labelSelectors` of an applicationRef (matchLabels and
// matchExpressions) and the string form of `--match-application-label`
// (`a=b,c!=d,e in (x,y),f notin (z),g,!h`). Semantics are the API server's: `!=` and `notin`
// also match objects that lack the label; an empty selector matches everything.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iu::config {

using Labels = std::map<std::string, std::string, std::less<>>;

struct LabelRequirement {
  enum class Op { kIn, kNotIn, kExists, kDoesNotExist };
  std::string key;
  Op op = Op::kExists;
  std::vector<std::string> values;  // kIn/kNotIn: at least one; kExists/kDoesNotExist: none

  bool matches(const Labels& labels) const;
};

// The operator as written in matchExpressions: "In", "NotIn", "Exists", "DoesNotExist".
std::string_view op_name(LabelRequirement::Op op);
std::optional<LabelRequirement::Op> parse_op(std::string_view name);

struct LabelSelector {
  Labels match_labels;
  std::vector<LabelRequirement> match_expressions;

  // True when every matchLabels entry is present with that value and every requirement holds.
  bool matches(const Labels& labels) const;

  // matchLabels entries plus matchExpressions entries (counted by applicationRef specificity).
  std::size_t entry_count() const { return match_labels.size() + match_expressions.size(); }
};

// Checks keys, values and operator/value combinations. On failure returns the field path below
// the selector (`matchLabels["tier"]`, `matchExpressions[1].values`) and the problem.
struct SelectorProblem {
  std::string field;
  std::string message;
};
std::optional<SelectorProblem> validate(const LabelSelector& selector);

// Parses the string form into match_expressions (`a=b` and `a==b` become `a In (b)`, `a!=b`
// becomes `a NotIn (b)`, `a` Exists, `!a` DoesNotExist). Whitespace around tokens is ignored;
// an empty text selects everything. On failure returns std::nullopt and sets `*error` to e.g.
// `invalid label selector "a in x": expected "(" after "in" at offset 5`.
std::optional<LabelSelector> parse_label_selector(std::string_view text,
                                                  std::string* error = nullptr);

}  // namespace iu::config
