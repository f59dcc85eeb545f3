#include "kube/refresh_annotation.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>

#include "kube/time_format.hpp"

namespace iu::kube {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool plain(std::string_view s) {
  return !s.empty() && std::none_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '@';
  });
}

std::optional<RefreshEntry> parse_entry(std::string_view item) {
  const size_t at = item.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view image = item.substr(0, at);
  const std::string_view time = item.substr(at + 1);
  const size_t slash = image.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  RefreshEntry e{std::string(image.substr(0, slash)), std::string(image.substr(slash + 1)),
                 std::string(time)};
  if (!plain(e.registry) || !plain(e.repository) || e.repository.back() == '/' ||
      !parse_micro_time(e.time))
    return std::nullopt;
  return e;
}

// Entries compare by time; a time that does not parse (never the case after parse_refresh)
// counts as the oldest.
std::chrono::system_clock::time_point time_of(const RefreshEntry& e) {
  return parse_micro_time(e.time).value_or(std::chrono::system_clock::time_point::min());
}

}  // namespace

RefreshValue parse_refresh(std::string_view value) {
  RefreshValue out;
  size_t start = 0;
  while (start <= value.size()) {
    const size_t comma = value.find(',', start);
    const std::string_view item = trim(value.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (!item.empty()) {
      if (auto e = parse_entry(item))
        out.entries.push_back(std::move(*e));
      else
        out.malformed.emplace_back(item);
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string format_refresh(const std::vector<RefreshEntry>& entries) {
  std::string out;
  for (const auto& e : entries) {
    if (!out.empty()) out += ',';
    out += e.text();
  }
  return out;
}

std::vector<RefreshEntry> merge_refresh(std::vector<RefreshEntry> entries,
                                        const RefreshEntry& add) {
  auto same = std::find_if(entries.begin(), entries.end(),
                           [&](const RefreshEntry& e) { return e.image() == add.image(); });
  if (same == entries.end())
    entries.push_back(add);
  else if (time_of(add) > time_of(*same))
    same->time = add.time;
  while (entries.size() > kMaxRefreshEntries)
    entries.erase(std::min_element(
        entries.begin(), entries.end(),
        [](const RefreshEntry& a, const RefreshEntry& b) { return time_of(a) < time_of(b); }));
  return entries;
}

std::vector<RefreshEntry> remaining_refresh(const RefreshValue& current,
                                            const std::vector<RefreshEntry>& done) {
  std::set<std::string> checked;
  for (const auto& e : done) checked.insert(e.text());
  std::vector<RefreshEntry> out;
  for (const auto& e : current.entries)
    if (checked.count(e.text()) == 0) out.push_back(e);
  return out;
}

}  // namespace iu::kube
