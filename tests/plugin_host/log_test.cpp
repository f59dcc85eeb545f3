#include "log/log.hpp"

#include <gtest/gtest.h>

namespace iu::log {
namespace {

TEST(Log, TextIsLogrusCompatible) {
  EXPECT_EQ(format_line(Level::info, "Starting image update cycle",
                        {{"application", "web"}, {"image_name", "team/web app"}}, Format::text,
                        "2026-01-01T00:00:00Z"),
            "time=\"2026-01-01T00:00:00Z\" level=info msg=\"Starting image update cycle\" "
            "application=web image_name=\"team/web app\"");
  EXPECT_EQ(format_line(Level::warn, "a \"quoted\"\nline", {{"k", ""}}, Format::text, "T"),
            "time=\"T\" level=warning msg=\"a \\\"quoted\\\"\\nline\" k=\"\"");
}

TEST(Log, JsonIsOneObjectPerLine) {
  EXPECT_EQ(format_line(Level::error, "failed", {{"registry", "ghcr.io"}}, Format::json, "T"),
            "{\"level\":\"error\",\"msg\":\"failed\",\"time\":\"T\",\"registry\":\"ghcr.io\"}");
}

TEST(Log, LevelsAndFormatsParse) {
  EXPECT_EQ(parse_level("debug"), Level::debug);
  EXPECT_EQ(parse_level("warn"), Level::warn);
  EXPECT_FALSE(parse_level("loud"));
  EXPECT_EQ(parse_format("json"), Format::json);
  EXPECT_FALSE(parse_format("xml"));
  configure(Level::warn, Format::text);
  EXPECT_FALSE(enabled(Level::info));
  EXPECT_TRUE(enabled(Level::error));
  configure(Level::info, Format::text);
}

}  // namespace
}  // namespace iu::log
