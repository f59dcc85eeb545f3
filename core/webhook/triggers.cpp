#include "webhook/triggers.hpp"

#include "model/image_ref.hpp"

namespace iu::webhook {

TriggerQueue::TriggerQueue(std::chrono::milliseconds window, std::function<void(Trigger)> fire)
    : window_(window), fire_(std::move(fire)), thread_([this] { run(); }) {}

TriggerQueue::~TriggerQueue() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

TriggerQueue::Result TriggerQueue::add(const Event& event, const std::string& type) {
  std::string registry =
      model::canonical_registry(event.registry.empty() ? "docker.io" : event.registry);
  auto key = std::pair(registry, event.repository);
  std::unique_lock lock(mu_);
  auto now = Clock::now();
  auto it = pending_.find(key);
  if (it != pending_.end() && now < it->second.window_end) {
    Pending& p = it->second;
    p.has_trailing = true;
    p.trailing.registry = registry;
    p.trailing.repository = event.repository;
    if (!type.empty()) p.trailing.type = type;
    if (!event.tag.empty()) p.trailing.tags.insert(event.tag);
    if (!event.digest.empty()) p.trailing.digests.insert(event.digest);
    return Result::coalesced;
  }
  pending_[key] = Pending{now + window_, false, {}};
  lock.unlock();
  cv_.notify_all();
  Trigger t{registry, event.repository, {}, {}, type};
  if (!event.tag.empty()) t.tags.insert(event.tag);
  if (!event.digest.empty()) t.digests.insert(event.digest);
  fire_(std::move(t));
  return Result::accepted;
}

void TriggerQueue::run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    auto next = Clock::time_point::max();
    for (const auto& [_, p] : pending_) next = std::min(next, p.window_end);
    if (next == Clock::time_point::max()) {
      cv_.wait(lock);
      continue;
    }
    cv_.wait_until(lock, next);
    auto now = Clock::now();
    std::vector<Trigger> due;
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->second.window_end > now) {
        ++it;
        continue;
      }
      if (it->second.has_trailing) due.push_back(std::move(it->second.trailing));
      it = pending_.erase(it);
    }
    lock.unlock();
    for (auto& t : due) fire_(std::move(t));
    lock.lock();
  }
}

bool HourlyLimiter::allow(Clock::time_point now, long long* retry_after_s) {
  if (allowed_ <= 0) return true;
  std::lock_guard lock(mu_);
  while (!accepted_.empty() && now - accepted_.front() >= std::chrono::hours(1))
    accepted_.pop_front();
  if (static_cast<long long>(accepted_.size()) < allowed_) {
    accepted_.push_back(now);
    return true;
  }
  auto wait = std::chrono::duration_cast<std::chrono::seconds>(accepted_.front() +
                                                               std::chrono::hours(1) - now);
  *retry_after_s = std::max<long long>(1, wait.count() + 1);
  return false;
}

}  // namespace iu::webhook
