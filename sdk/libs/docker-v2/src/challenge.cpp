#include "iu/dockerv2/challenge.hpp"

#include <optional>

#include "text.hpp"

namespace iu::dockerv2 {
namespace {

// RFC 7235 token68 characters (before the trailing '=' padding).
bool is_token68_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  void skip_ows() {
    while (!done() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }
  void skip_ows_and_commas() {
    while (!done() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == ',')) ++i_;
  }
  std::string_view token() {
    size_t start = i_;
    while (!done() && detail::is_tchar(s_[i_])) ++i_;
    return s_.substr(start, i_ - start);
  }

  // True when an auth-param (`name = value`) starts here; consumes nothing.
  bool at_param() {
    size_t saved = i_;
    bool yes = false;
    if (!token().empty()) {
      skip_ows();
      if (peek() == '=') {
        ++i_;
        skip_ows();
        yes = peek() == '"' || detail::is_tchar(peek());
      }
    }
    i_ = saved;
    return yes;
  }

  // A token68 that makes up the rest of the challenge (`abc/def==` before a comma or the end).
  std::optional<std::string_view> token68() {
    size_t j = i_;
    while (j < s_.size() && is_token68_char(s_[j])) ++j;
    if (j == i_) return std::nullopt;
    while (j < s_.size() && s_[j] == '=') ++j;
    size_t k = j;
    while (k < s_.size() && (s_[k] == ' ' || s_[k] == '\t')) ++k;
    if (k < s_.size() && s_[k] != ',') return std::nullopt;
    std::string_view out = s_.substr(i_, j - i_);
    i_ = j;
    return out;
  }

  // `name = value` (the caller checked at_param()); nullopt for an unterminated quoted string.
  std::optional<std::pair<std::string, std::string>> param() {
    std::string name = detail::lower(token());
    skip_ows();
    ++i_;  // '='
    skip_ows();
    if (peek() != '"') return std::make_pair(std::move(name), std::string(token()));
    std::string value;
    ++i_;
    while (!done()) {
      char c = s_[i_++];
      if (c == '"') return std::make_pair(std::move(name), std::move(value));
      if (c == '\\') {
        if (done()) break;
        c = s_[i_++];
      }
      value += c;
    }
    return std::nullopt;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

std::string Challenge::param(std::string_view name) const {
  auto it = params.find(detail::lower(name));
  return it == params.end() ? std::string() : it->second;
}

std::vector<Challenge> parse_challenges(std::string_view header) {
  std::vector<Challenge> out;
  Scanner sc(header);
  sc.skip_ows_and_commas();
  while (!sc.done()) {
    std::string_view scheme = sc.token();
    if (scheme.empty()) break;  // malformed: keep the challenges read so far
    Challenge ch;
    ch.scheme = detail::lower(scheme);
    sc.skip_ows();
    if (!sc.done() && sc.peek() != ',' && !sc.at_param()) {
      auto t68 = sc.token68();
      if (!t68) break;
      ch.token68 = std::string(*t68);
      out.push_back(std::move(ch));
      sc.skip_ows_and_commas();
      continue;
    }
    bool malformed = false;
    // auth-params until the next challenge (a token not followed by '=') or the end.
    while (true) {
      sc.skip_ows_and_commas();
      if (sc.done() || !sc.at_param()) break;
      auto p = sc.param();
      if (!p) {
        malformed = true;
        break;
      }
      ch.params.insert(std::move(*p));  // the first occurrence of a name wins
    }
    out.push_back(std::move(ch));
    if (malformed) break;
  }
  return out;
}

AuthChallenge select_challenge(const std::vector<Challenge>& offered) {
  for (const auto& ch : offered) {
    if (ch.scheme == "bearer" && !ch.param("realm").empty())
      return AuthChallenge{AuthChallenge::Scheme::bearer, ch.param("realm"), ch.param("service")};
  }
  for (const auto& ch : offered) {
    if (ch.scheme == "basic") return AuthChallenge{AuthChallenge::Scheme::basic, {}, {}};
  }
  return {};
}

}  // namespace iu::dockerv2
