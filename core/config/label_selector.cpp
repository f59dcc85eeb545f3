#include "config/label_selector.hpp"

#include <algorithm>

#include "config/k8s_names.hpp"

namespace iu::config {
namespace {

bool contains(const std::vector<std::string>& values, std::string_view v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

// Scanner for the string form. Words run until whitespace or one of `,=!()`.
class SelectorScanner {
 public:
  explicit SelectorScanner(std::string_view text) : text_(text) {}

  std::optional<LabelSelector> parse(std::string* error) {
    LabelSelector out;
    skip_space();
    if (at_end()) return out;
    while (true) {
      LabelRequirement req;
      if (!requirement(req)) return fail(error);
      out.match_expressions.push_back(std::move(req));
      skip_space();
      if (at_end()) break;
      if (text_[pos_] != ',') return fail(error, "expected \",\"");
      ++pos_;
      skip_space();
    }
    if (auto problem = validate(out)) {
      problem_ = problem->message;
      return fail(error);
    }
    return out;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  void skip_space() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  std::string_view word() {
    const std::size_t start = pos_;
    while (!at_end() && std::string_view(" \t,=!()").find(text_[pos_]) == std::string_view::npos)
      ++pos_;
    return text_.substr(start, pos_ - start);
  }
  bool expect(std::string_view what) {
    problem_ = "expected " + std::string(what) + " at offset " + std::to_string(pos_);
    return false;
  }

  bool requirement(LabelRequirement& req) {
    if (at_end()) return expect("a label key");
    if (text_[pos_] == '!') {
      ++pos_;
      skip_space();
      req.key = std::string(word());
      req.op = LabelRequirement::Op::kDoesNotExist;
      return !req.key.empty() || expect("a label key after \"!\"");
    }
    req.key = std::string(word());
    if (req.key.empty()) return expect("a label key");
    skip_space();
    if (at_end() || text_[pos_] == ',') {
      req.op = LabelRequirement::Op::kExists;
      return true;
    }
    if (text_.substr(pos_, 2) == "!=") {
      pos_ += 2;
      req.op = LabelRequirement::Op::kNotIn;
      return single_value(req);
    }
    if (text_[pos_] == '=') {
      pos_ += text_.substr(pos_, 2) == "==" ? 2 : 1;
      req.op = LabelRequirement::Op::kIn;
      return single_value(req);
    }
    const std::size_t op_at = pos_;
    const std::string_view op = word();
    if (op == "in" || op == "notin") {
      req.op = op == "in" ? LabelRequirement::Op::kIn : LabelRequirement::Op::kNotIn;
      return value_set(req, op);
    }
    pos_ = op_at;
    return expect("=, ==, !=, in or notin after \"" + req.key + "\"");
  }

  bool single_value(LabelRequirement& req) {
    skip_space();
    req.values.emplace_back(word());
    return true;
  }

  bool value_set(LabelRequirement& req, std::string_view op) {
    skip_space();
    if (at_end() || text_[pos_] != '(') return expect("\"(\" after \"" + std::string(op) + "\"");
    ++pos_;
    while (true) {
      skip_space();
      req.values.emplace_back(word());
      skip_space();
      if (at_end()) return expect("\")\"");
      if (text_[pos_] == ')') break;
      if (text_[pos_] != ',') return expect("\",\" or \")\"");
      ++pos_;
    }
    ++pos_;
    if (req.values.size() == 1 && req.values.front().empty())
      return expect("at least one value inside \"()\"");
    return true;
  }

  std::optional<LabelSelector> fail(std::string* error, std::string_view why = {}) {
    if (!why.empty()) problem_ = std::string(why) + " at offset " + std::to_string(pos_);
    if (error != nullptr)
      *error = "invalid label selector \"" + std::string(text_) + "\": " + problem_;
    return std::nullopt;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string problem_;
};

}  // namespace

bool LabelRequirement::matches(const Labels& labels) const {
  const auto it = labels.find(key);
  switch (op) {
    case Op::kIn:
      return it != labels.end() && contains(values, it->second);
    case Op::kNotIn:
      return it == labels.end() || !contains(values, it->second);
    case Op::kExists:
      return it != labels.end();
    case Op::kDoesNotExist:
      return it == labels.end();
  }
  return false;
}

std::string_view op_name(LabelRequirement::Op op) {
  switch (op) {
    case LabelRequirement::Op::kIn:
      return "In";
    case LabelRequirement::Op::kNotIn:
      return "NotIn";
    case LabelRequirement::Op::kExists:
      return "Exists";
    case LabelRequirement::Op::kDoesNotExist:
      return "DoesNotExist";
  }
  return "";
}

std::optional<LabelRequirement::Op> parse_op(std::string_view name) {
  for (auto op : {LabelRequirement::Op::kIn, LabelRequirement::Op::kNotIn,
                  LabelRequirement::Op::kExists, LabelRequirement::Op::kDoesNotExist})
    if (op_name(op) == name) return op;
  return std::nullopt;
}

bool LabelSelector::matches(const Labels& labels) const {
  for (const auto& [key, value] : match_labels) {
    const auto it = labels.find(key);
    if (it == labels.end() || it->second != value) return false;
  }
  return std::all_of(match_expressions.begin(), match_expressions.end(),
                     [&](const LabelRequirement& r) { return r.matches(labels); });
}

std::optional<SelectorProblem> validate(const LabelSelector& selector) {
  for (const auto& [key, value] : selector.match_labels) {
    const std::string field = "matchLabels[\"" + key + "\"]";
    if (std::string p = k8s::label_key_problem(key); !p.empty()) return SelectorProblem{field, p};
    if (std::string p = k8s::label_value_problem(value); !p.empty())
      return SelectorProblem{field, p};
  }
  for (std::size_t i = 0; i < selector.match_expressions.size(); ++i) {
    const LabelRequirement& r = selector.match_expressions[i];
    const std::string field = "matchExpressions[" + std::to_string(i) + "]";
    if (std::string p = k8s::label_key_problem(r.key); !p.empty())
      return SelectorProblem{field + ".key", p};
    const bool needs_values =
        r.op == LabelRequirement::Op::kIn || r.op == LabelRequirement::Op::kNotIn;
    if (needs_values && r.values.empty())
      return SelectorProblem{field + ".values",
                             "must be non-empty when operator is " + std::string(op_name(r.op))};
    if (!needs_values && !r.values.empty())
      return SelectorProblem{field + ".values",
                             "must be empty when operator is " + std::string(op_name(r.op))};
    for (std::size_t v = 0; v < r.values.size(); ++v)
      if (std::string p = k8s::label_value_problem(r.values[v]); !p.empty())
        return SelectorProblem{field + ".values[" + std::to_string(v) + "]", p};
  }
  return std::nullopt;
}

std::optional<LabelSelector> parse_label_selector(std::string_view text, std::string* error) {
  return SelectorScanner(text).parse(error);
}

}  // namespace iu::config
