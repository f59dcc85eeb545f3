#include "config/image_updater.hpp"

namespace iu::config {
namespace {

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::int64_t name_pattern_specificity(std::string_view pattern) {
  std::int64_t literals = 0;
  bool wildcard = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '*' || c == '?') {
      wildcard = true;
    } else if (c == '[') {
      // A class matches one character of a set: no literal characters. Skip to its end,
      // honouring escapes; Glob::compile has already rejected unclosed classes.
      wildcard = true;
      std::size_t j = i + 1;
      if (j < pattern.size() && pattern[j] == '^') ++j;
      while (j < pattern.size() && pattern[j] != ']') j += pattern[j] == '\\' ? 2 : 1;
      i = j;
    } else if (c == '\\') {
      // `\x` is the literal x: one character, however many bytes it takes.
      ++literals;
      ++i;
      while (i + 1 < pattern.size() && is_utf8_continuation(pattern[i + 1])) ++i;
    } else if (!is_utf8_continuation(c)) {
      ++literals;
    }
  }
  return (wildcard ? 0 : 1'000'000) + literals;
}

std::int64_t ApplicationRefSpec::specificity() const {
  std::int64_t points = name_pattern_specificity(name_pattern);
  if (label_selector)
    points += 10'000 + 100 * static_cast<std::int64_t>(label_selector->entry_count());
  return points;
}

bool ApplicationRefSpec::matches(std::string_view app_name, const Labels& app_labels) const {
  if (!name_glob || !name_glob->match(app_name)) return false;
  return !label_selector || label_selector->matches(app_labels);
}

}  // namespace iu::config
