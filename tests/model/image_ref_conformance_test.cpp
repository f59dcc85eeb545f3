// Stage A against shared/conformance/image-references.jsonl, produced by Docker's
// ParseNormalizedNamed plus the updater's view. Every row must pass.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <iostream>
#include <string>

#include "model/image_ref.hpp"
#include "shared_dir.hpp"

namespace iu::model {
namespace {

std::string member(const rapidjson::Value& row, const char* key) {
  const auto it = row.FindMember(key);
  if (it == row.MemberEnd()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

TEST(ImageRefConformance, EveryVectorRowMatchesStageA) {
  std::ifstream in(iu::test::conformance_file("image-references.jsonl"));
  ASSERT_TRUE(in) << "cannot open image-references.jsonl";
  std::string line;
  int rows = 0;
  int valid_rows = 0;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    rapidjson::Document row;
    row.Parse(line.data(), line.size());
    ASSERT_FALSE(row.HasParseError()) << "line " << line_no << " is not JSON: " << line;
    ASSERT_TRUE(row.IsObject() && row.HasMember("input") && row.HasMember("valid_reference"));
    const std::string input = member(row, "input");
    SCOPED_TRACE("line " + std::to_string(line_no) + ": \"" + input + "\"");
    ++rows;

    std::string error;
    const std::optional<ImageRef> ref = parse_reference(input, &error);
    if (!row["valid_reference"].GetBool()) {
      EXPECT_FALSE(ref.has_value()) << "accepted; path=" << ref->path;
      EXPECT_FALSE(error.empty());
      continue;
    }
    ++valid_rows;
    ASSERT_TRUE(ref.has_value()) << error;
    EXPECT_EQ(ref->domain, member(row, "domain"));
    EXPECT_EQ(ref->path, member(row, "path"));
    EXPECT_EQ(ref->version, member(row, "tag"));
    EXPECT_EQ(ref->digest, member(row, "digest"));
    EXPECT_EQ(ref->registry, member(row, "registry"));
    EXPECT_EQ(ref->name, member(row, "name"));
    EXPECT_EQ(ref->stage, ParseStage::kStrict);
    EXPECT_TRUE(ref->alias.empty());
  }
  // The file is the oracle; an empty or truncated copy must not pass silently.
  EXPECT_GE(rows, 60);
  EXPECT_GE(valid_rows, 43);
  std::cout << "image-references.jsonl: " << rows << " rows checked (" << valid_rows << " valid, "
            << rows - valid_rows << " rejected)\n";
}

}  // namespace
}  // namespace iu::model
