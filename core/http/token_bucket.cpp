#include "http/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace iu::http {
namespace {

// Absorbs floating-point rounding between next_available() and try_take().
constexpr double kEpsilon = 1e-9;

double capacity_for(double rate) { return std::max(1.0, std::ceil(rate)); }

}  // namespace

TokenBucket::TokenBucket(double rate_per_second, TimePoint now)
    : rate_(rate_per_second),
      capacity_(capacity_for(rate_per_second)),
      tokens_(capacity_),
      last_(now) {}

void TokenBucket::set_rate(double rate_per_second, TimePoint now) {
  tokens_ = tokens_at(now);
  last_ = std::max(now, last_);
  rate_ = rate_per_second;
  capacity_ = capacity_for(rate_per_second);
  tokens_ = std::min(tokens_, capacity_);
}

double TokenBucket::tokens_at(TimePoint now) const {
  if (now <= last_) return tokens_;
  double elapsed = std::chrono::duration<double>(now - last_).count();
  return std::min(capacity_, tokens_ + elapsed * rate_);
}

bool TokenBucket::try_take(TimePoint now) {
  if (now < paused_until_) return false;
  if (rate_ <= 0) return true;
  double t = tokens_at(now);
  if (t < 1.0 - kEpsilon) return false;
  tokens_ = std::max(0.0, t - 1.0);
  last_ = std::max(now, last_);
  return true;
}

TokenBucket::TimePoint TokenBucket::next_available(TimePoint now) const {
  TimePoint from = std::max(now, paused_until_);
  if (rate_ <= 0) return from;
  double missing = 1.0 - tokens_at(from);
  if (missing <= kEpsilon) return from;
  auto wait = std::chrono::duration<double>(missing / rate_);
  // Round up so that try_take at the returned time succeeds.
  return from + std::chrono::ceil<Clock::duration>(wait);
}

void TokenBucket::pause_until(TimePoint until) {
  if (until <= paused_until_) return;
  paused_until_ = until;
  // Restart from a single token at the end of the pause (see the header).
  if (until > last_) {
    last_ = until;
    tokens_ = 1.0;
  } else {
    tokens_ = std::min(tokens_, 1.0);
  }
}

}  // namespace iu::http
