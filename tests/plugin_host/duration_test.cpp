#include "util/duration.hpp"

#include <gtest/gtest.h>

namespace iu::util {
namespace {

using namespace std::chrono;

TEST(Duration, GoSyntax) {
  EXPECT_EQ(parse_duration("2m"), minutes(2));
  EXPECT_EQ(parse_duration("1h30m"), minutes(90));
  EXPECT_EQ(parse_duration("500ms"), milliseconds(500));
  EXPECT_EQ(parse_duration("2.5s"), milliseconds(2500));
  EXPECT_EQ(parse_duration("0"), nanoseconds(0));
  EXPECT_EQ(parse_duration("-1m"), minutes(-1));
  EXPECT_EQ(parse_duration("1us"), microseconds(1));
  EXPECT_EQ(parse_duration("1\xC2\xB5s"), microseconds(1));
}

TEST(Duration, BareNumbersAndJunkAreErrors) {
  std::string err;
  EXPECT_FALSE(parse_duration("5", &err));
  EXPECT_EQ(err, "invalid duration \"5\": missing unit");
  EXPECT_FALSE(parse_duration("", &err));
  EXPECT_FALSE(parse_duration("1d", &err));
  EXPECT_EQ(err, "invalid duration \"1d\": unknown unit \"d\"");
  EXPECT_FALSE(parse_duration("m", &err));
  EXPECT_FALSE(parse_duration(" 1m", &err));
}

TEST(Duration, FormatsLikeGo) {
  EXPECT_EQ(format_duration(minutes(2)), "2m0s");
  EXPECT_EQ(format_duration(milliseconds(1500)), "1.5s");
  EXPECT_EQ(format_duration(milliseconds(500)), "500ms");
  EXPECT_EQ(format_duration(hours(1) + seconds(1)), "1h0m1s");
  EXPECT_EQ(format_duration(nanoseconds(0)), "0s");
}

TEST(Bool, StrconvSpellings) {
  for (const char* t : {"1", "t", "T", "TRUE", "true", "True"}) EXPECT_EQ(parse_bool(t), true) << t;
  for (const char* f : {"0", "f", "F", "FALSE", "false", "False"})
    EXPECT_EQ(parse_bool(f), false) << f;
  for (const char* bad : {"yes", "tRUE", "", " true", "2"}) EXPECT_FALSE(parse_bool(bad)) << bad;
}

}  // namespace
}  // namespace iu::util
