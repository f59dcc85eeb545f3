// Bounded fan-out for the metadata fetches of one image (--metadata-concurrency, SPEC §10.3).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace iu::registry {

// Calls fn(i) for every i in [0, count) on at most `concurrency` threads (the caller's thread
// is one of them). After the first exception no new index is started; that exception is
// rethrown once every running call has returned.
template <typename Fn>
void parallel_for(std::size_t count, std::size_t concurrency, Fn&& fn) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mu;
  auto worker = [&] {
    for (std::size_t i; !failed.load() && (i = next.fetch_add(1)) < count;) {
      try {
        fn(i);
      } catch (...) {
        std::lock_guard lock(error_mu);
        if (!error) error = std::current_exception();
        failed.store(true);
      }
    }
  };
  const std::size_t threads = std::min(count, std::max<std::size_t>(concurrency, 1));
  std::vector<std::jthread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  pool.clear();  // joins
  if (error) std::rethrow_exception(error);
}

}  // namespace iu::registry
