// How scalars resolve (Kubernetes' YAML reading): a string field needs a string.
#include "config/yaml_reader.hpp"

#include <gtest/gtest.h>

namespace iu::config::yaml {
namespace {

std::string_view kind_of(const std::string& value_text) {
  static std::vector<YAML::Node> keep;  // scalar_kind returns a view of a static word
  keep.push_back(YAML::Load("v: " + value_text)["v"]);
  return scalar_kind(keep.back());
}

TEST(ScalarKind, CoreSchemaNumbers) {
  for (const char* n : {"0", "-12", "+7", "1.10", "1.", ".5", "-.5", "1e3", "2.5E-2", "0x1F",
                        "0o17", ".inf", "-.Inf", ".NaN"})
    EXPECT_EQ(kind_of(n), "number") << n;
  for (const char* s : {"1e", "0o9", "0xG", "v1.0", "1.2.3", "--", ".", "1_000", "nginx", "+"})
    EXPECT_EQ(kind_of(s), "string") << s;
}

TEST(ScalarKind, BooleansNullsAndQuotedText) {
  for (const char* b : {"true", "False", "TRUE", "yes", "No", "on", "OFF"})
    EXPECT_EQ(kind_of(b), "boolean") << b;
  for (const char* n : {"~", "null", "Null", "NULL", ""}) EXPECT_EQ(kind_of(n), "null") << n;
  for (const char* q : {"\"1.10\"", "'true'", "\"\"", "!!str 5"})
    EXPECT_EQ(kind_of(q), "string") << q;
}

TEST(Reader, NullValuesCountAsAbsent) {
  std::vector<ConfigIssue> errors;
  Reader r(ObjectRef{"ImageUpdater", "ns", "x"}, Scope::kUpdater, &errors, true);
  const YAML::Node node = YAML::Load("{a: ~, b: '', c: [x, 1], d: {k: ~}}");
  EXPECT_FALSE(r.string(node, "spec", "a"));
  EXPECT_EQ(r.string(node, "spec", "b"), "");
  EXPECT_TRUE(errors.empty());
  EXPECT_FALSE(r.strings(node, "spec", "c"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].what(),
            "ImageUpdater ns/x: spec.c[1]: expected a string, found a number "
            "\"1\" (quote it to make it a string)");
  EXPECT_EQ(r.string_map(node, "spec", "d")->at("k"), "");
}

}  // namespace
}  // namespace iu::config::yaml
