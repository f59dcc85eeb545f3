// Golden tests: every case under golden/*.json renders exactly as Go 1.19's text/template
// renders it (the expected outputs were produced by Go), or fails in the phase Go fails in,
// with our message and position.
//
// A case: {"name", "template", "data"?, "output"} or {..., "error": {"phase": "parse"|"exec",
// "at": "line:col", "message"}}; "unsupported": true marks a construct Go accepts and the
// subset refuses. Data is JSON plus two conventions for Go types JSON lacks:
// {"$record": [["Field", value], ...]} is a struct, {"$strmap": {...}} a map[string]string.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "iu/gotemplate/template.hpp"

namespace iu::gotemplate {
namespace {

struct GoldenCase {
  std::string id;  // <file>_<case>, the test's name
  std::string tmpl;
  Value data;
  bool expect_error = false;
  std::string output;
  std::string phase;
  std::string at;
  std::string message;
};

Value to_value(const rapidjson::Value& v) {
  if (v.IsNull()) return Value();
  if (v.IsBool()) return Value(v.GetBool());
  if (v.IsInt64()) return Value(static_cast<std::int64_t>(v.GetInt64()));
  if (v.IsString()) return Value(std::string(v.GetString(), v.GetStringLength()));
  if (v.IsArray()) {
    Value::List items;
    for (const auto& item : v.GetArray()) items.push_back(to_value(item));
    return Value::list(std::move(items));
  }
  if (!v.IsObject()) throw std::runtime_error("golden data: only integers are supported");
  if (v.MemberCount() == 1 && v.HasMember("$record")) {
    Value::Fields fields;
    for (const auto& pair : v["$record"].GetArray()) {
      fields.emplace_back(pair[0].GetString(), to_value(pair[1]));
    }
    return Value::record(std::move(fields));
  }
  if (v.MemberCount() == 1 && v.HasMember("$strmap")) {
    std::map<std::string, std::string> entries;
    for (const auto& m : v["$strmap"].GetObject()) {
      entries[m.name.GetString()] = std::string(m.value.GetString(), m.value.GetStringLength());
    }
    return Value::string_map(entries);
  }
  Value::Map entries;
  for (const auto& m : v.GetObject()) {
    entries.emplace(std::string(m.name.GetString(), m.name.GetStringLength()), to_value(m.value));
  }
  return Value::map(std::move(entries));
}

std::string json_string(const rapidjson::Value& v) {
  return std::string(v.GetString(), v.GetStringLength());
}

std::string sanitize(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

std::vector<GoldenCase> load_cases() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(IU_GOTEMPLATE_GOLDEN_DIR)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw std::runtime_error("no golden files in " IU_GOTEMPLATE_GOLDEN_DIR);
  std::vector<GoldenCase> cases;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    rapidjson::Document doc;
    doc.Parse(text.str().c_str());
    if (doc.HasParseError() || !doc.IsArray()) {
      throw std::runtime_error("golden file " + file.string() + " is not a JSON array");
    }
    for (const auto& c : doc.GetArray()) {
      GoldenCase g;
      g.id = sanitize(file.stem().string() + "_" + c["name"].GetString());
      g.tmpl = json_string(c["template"]);
      if (c.HasMember("data")) g.data = to_value(c["data"]);
      if (c.HasMember("error")) {
        const auto& e = c["error"];
        g.expect_error = true;
        g.phase = e["phase"].GetString();
        g.at = e.HasMember("at") ? e["at"].GetString() : "";
        g.message = e.HasMember("message") ? json_string(e["message"]) : "";
      } else {
        g.output = json_string(c["output"]);
      }
      cases.push_back(std::move(g));
    }
  }
  return cases;
}

class Golden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(Golden, RendersAsGoDoes) {
  const GoldenCase& g = GetParam();
  std::string phase = "parse";
  try {
    const Template t = Template::parse(g.tmpl);
    phase = "exec";
    const std::string out = t.execute(g.data);
    EXPECT_FALSE(g.expect_error) << "expected a " << g.phase << " error, rendered: " << out;
    EXPECT_EQ(out, g.output);
  } catch (const Error& e) {
    ASSERT_TRUE(g.expect_error) << phase << " error: " << e.what();
    EXPECT_EQ(phase, g.phase) << e.what();
    EXPECT_EQ(std::to_string(e.line()) + ":" + std::to_string(e.column()), g.at) << e.what();
    EXPECT_EQ(e.message(), g.message);
  }
}

INSTANTIATE_TEST_SUITE_P(Go119, Golden, ::testing::ValuesIn(load_cases()),
                         [](const auto& info) { return info.param.id; });

}  // namespace
}  // namespace iu::gotemplate
