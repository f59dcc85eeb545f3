#include "http/flight.hpp"

namespace iu::http {

using Clock = std::chrono::steady_clock;

void Flight::finish(Response response) { complete(std::move(response), std::nullopt); }

void Flight::fail(HttpError error) { complete(std::nullopt, std::move(error)); }

void Flight::complete(std::optional<Response> response, std::optional<HttpError> error) {
  // Unregister first so that a caller arriving from now on starts a new flight instead of
  // joining one whose answer may already be stale.
  if (FlightTable* t = table_) t->forget(*this);
  {
    std::lock_guard lock(mu_);
    if (done_) return;
    done_ = true;
    response_ = std::move(response);
    error_ = std::move(error);
  }
  cv_.notify_all();
}

std::optional<Response> Flight::wait(const std::atomic<bool>* cancel, Clock::time_point deadline) {
  // `cancel` is a plain flag without a notification, so a cancellable wait polls it.
  constexpr auto kPoll = std::chrono::milliseconds(20);
  std::unique_lock lock(mu_);
  while (!done_) {
    if (cancel != nullptr && cancel->load()) return std::nullopt;
    auto now = Clock::now();
    if (now >= deadline) return std::nullopt;
    if (cancel == nullptr && deadline == Clock::time_point::max()) {
      cv_.wait(lock);
    } else {
      auto until = cancel == nullptr ? deadline : std::min(deadline, now + kPoll);
      cv_.wait_until(lock, until);
    }
  }
  // Each waiter gets its own exception with its own copy of the text: a copy of error_ would
  // share libstdc++'s reference-counted message buffer with the flight, which the transfer
  // thread may free concurrently (safe, but through atomics ThreadSanitizer cannot see).
  if (error_) throw HttpError(error_->status(), std::string(error_->what()));
  return response_;
}

std::pair<std::shared_ptr<Flight>, bool> FlightTable::join(const std::shared_ptr<Flight>& fresh) {
  std::lock_guard lock(mu_);
  auto it = live_.find(fresh->shared_key);
  if (it != live_.end()) {
    Flight& f = *it->second;
    std::lock_guard flock(f.mu_);
    if (!f.done_ && !f.abandoned_.load()) {
      ++f.waiters_;
      return {it->second, false};
    }
  }
  fresh->table_ = this;
  live_[fresh->shared_key] = fresh;
  return {fresh, true};
}

bool FlightTable::leave(Flight& flight) {
  FlightTable* table = flight.table_;
  std::unique_lock<std::mutex> tlock;
  if (table != nullptr) tlock = std::unique_lock(table->mu_);
  std::lock_guard flock(flight.mu_);
  --flight.waiters_;
  if (flight.done_ || flight.waiters_ > 0) return false;
  flight.abandoned_.store(true);
  if (table != nullptr) {
    auto it = table->live_.find(flight.shared_key);
    if (it != table->live_.end() && it->second.get() == &flight) table->live_.erase(it);
  }
  return true;
}

size_t FlightTable::size() const {
  std::lock_guard lock(mu_);
  return live_.size();
}

void FlightTable::forget(const Flight& flight) {
  std::lock_guard lock(mu_);
  auto it = live_.find(flight.shared_key);
  if (it != live_.end() && it->second.get() == &flight) live_.erase(it);
}

}  // namespace iu::http
