// Helpers shared by the strategies that order every candidate (newest-build, alphabetical).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <string_view>
#include <vector>

#include "iu/plugin.hpp"

namespace iu::strategies {

// Byte-wise three-way comparison of two tags: unsigned bytes, no locale, and a proper prefix
// sorts first ("a" < "a0", "B" < "a", "9" > "10"). Returns <0, 0 or >0.
inline int compare_bytes(std::string_view a, std::string_view b) noexcept {
  const size_t common = std::min(a.size(), b.size());
  if (common != 0) {
    // memcmp compares as unsigned char, so UTF-8 lead bytes sort after ASCII.
    if (int c = std::memcmp(a.data(), b.data(), common); c != 0) return c;
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

// Puts candidate indices [0, count) into `out`, best first, where `less(a, b)` says that
// candidate a ranks below candidate b (the greatest candidate is the best). At most
// `max_results` indices are put; 0 means all of them.
//
// `less` must be a strict total order (break every tie, finally by index): then the linear scan
// used for a single result, the partial sort and the full sort all agree on the order.
// Cost: O(n) for max_results == 1, O(n log k) for k results, O(n log n) for all.
template <typename Less>
void put_best_first(uint64_t count, uint64_t max_results, Less less, const sdk::IndexSink& out) {
  if (count == 0) return;
  if (max_results == 1) {
    uint64_t best = 0;
    for (uint64_t i = 1; i < count; ++i)
      if (less(best, i)) best = i;
    out.put(best);
    return;
  }
  std::vector<uint64_t> order(static_cast<size_t>(count));
  std::iota(order.begin(), order.end(), uint64_t{0});
  const auto better = [&less](uint64_t a, uint64_t b) { return less(b, a); };
  auto end = order.end();
  if (max_results == 0 || max_results >= count) {
    std::sort(order.begin(), end, better);
  } else {
    end = order.begin() + static_cast<std::ptrdiff_t>(max_results);
    std::partial_sort(order.begin(), end, order.end(), better);
  }
  for (auto it = order.begin(); it != end; ++it) out.put(*it);
}

}  // namespace iu::strategies
