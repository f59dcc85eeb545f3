// Flight and FlightTable: sharing, completion, abandonment (no network, no engine).
#include "http/flight.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace iu::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::shared_ptr<Flight> make(const std::string& key) {
  Request r;
  r.url = "http://127.0.0.1/v2/";
  return std::make_shared<Flight>("reg", r, UrlParts{"http", "127.0.0.1", ""}, key);
}

TEST(FlightTable, CallersOfALiveFlightJoinItAndGetTheSameAnswer) {
  FlightTable table;
  auto [leader, leads] = table.join(make("k"));
  EXPECT_TRUE(leads);
  auto [follower, follows_leads] = table.join(make("k"));
  EXPECT_FALSE(follows_leads);
  EXPECT_EQ(follower, leader);
  EXPECT_EQ(table.size(), 1u);

  std::thread finisher([f = leader] {
    std::this_thread::sleep_for(20ms);
    Response r;
    r.status = 200;
    r.body = "shared";
    f->finish(r);
  });
  auto a = leader->wait(nullptr, Clock::time_point::max());
  auto b = follower->wait(nullptr, Clock::time_point::max());
  finisher.join();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->body, "shared");
  EXPECT_EQ(b->body, "shared");
  EXPECT_EQ(table.size(), 0u) << "a finished flight is no longer joinable";
  EXPECT_TRUE(table.join(make("k")).second) << "the next caller leads a new flight";
}

TEST(FlightTable, ErrorsAreRethrownToEveryWaiter) {
  FlightTable table;
  auto [f, leads] = table.join(make("k"));
  table.join(make("k"));
  f->fail(HttpError(IU_STATUS_TRANSIENT, "boom"));
  for (int i = 0; i < 2; ++i) {
    try {
      f->wait(nullptr, Clock::time_point::max());
      ADD_FAILURE() << "expected the flight's error";
    } catch (const HttpError& e) {
      EXPECT_EQ(e.status(), IU_STATUS_TRANSIENT);
      EXPECT_STREQ(e.what(), "boom");
    }
  }
}

TEST(FlightTable, OnlyTheLastWaiterLeavingAbandonsTheFlight) {
  FlightTable table;
  auto [f, leads] = table.join(make("k"));
  table.join(make("k"));
  std::atomic<bool> cancel{true};
  EXPECT_FALSE(f->wait(&cancel, Clock::time_point::max())) << "a cancelled waiter gives up";
  EXPECT_FALSE(FlightTable::leave(*f)) << "one waiter is still there";
  EXPECT_FALSE(f->abandoned());
  EXPECT_EQ(table.size(), 1u);
  EXPECT_TRUE(FlightTable::leave(*f));
  EXPECT_TRUE(f->abandoned());
  EXPECT_EQ(table.size(), 0u);
  EXPECT_TRUE(table.join(make("k")).second) << "an abandoned flight is not joined";
}

TEST(FlightTable, LeavingAFinishedFlightAbandonsNothing) {
  FlightTable table;
  auto [f, leads] = table.join(make("k"));
  f->finish(Response{});
  EXPECT_FALSE(FlightTable::leave(*f));
  EXPECT_FALSE(f->abandoned());
}

TEST(Flight, DeadlineEndsTheWaitWithoutAnAnswer) {
  auto f = make("");
  auto start = Clock::now();
  EXPECT_FALSE(f->wait(nullptr, start + 50ms));
  EXPECT_GE(Clock::now() - start, 50ms);
}

}  // namespace
}  // namespace iu::http
