// Every row of the Masterminds/semver v3.4.0 vectors in ../shared/conformance must pass:
// semver-parse.tsv (NewVersion + String), semver-check.tsv (NewConstraint + Check) and
// semver-select.jsonl (the semver strategy's pick). A missing shared folder is a failure.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "constraint.hpp"
#include "select.hpp"
#include "shared_dir.hpp"
#include "version.hpp"

namespace {

using iu::semver::Constraint;

// Data rows of a vector file: comment lines ('#') and blank lines are dropped.
std::vector<std::string> data_lines(const std::string& name) {
  const auto path = iu::test::conformance_file(name);
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    const std::size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string::npos ? tab : tab - start));
    if (tab == std::string::npos) return fields;
    start = tab + 1;
  }
}

// Decodes one JSON string literal such as "\u003e=1.2" (the vectors quote every string).
std::string json_string(const std::string& literal) {
  rapidjson::Document doc;
  doc.Parse(literal.c_str(), literal.size());
  if (doc.HasParseError() || !doc.IsString()) {
    throw std::runtime_error("not a JSON string: " + literal);
  }
  return std::string(doc.GetString(), doc.GetStringLength());
}

// Collects row failures so one run reports many of them, but the test fails on the first.
class Failures {
 public:
  void add(const std::string& what) {
    if (count_++ < 25) ADD_FAILURE() << what;
  }
  std::size_t count() const { return count_; }

 private:
  std::size_t count_ = 0;
};

TEST(semver_conformance, ParseVectors) {
  const auto rows = data_lines("semver-parse.tsv");
  ASSERT_GT(rows.size(), 300u);
  Failures failures;
  std::size_t ok_rows = 0;
  for (const std::string& row : rows) {
    const auto f = split_tabs(row);
    ASSERT_EQ(f.size(), 3u) << row;
    const std::string tag = json_string(f[0]);
    std::string error;
    const auto v = iu::semver::parse_version(tag, &error);
    if (f[1] == "ok") {
      ++ok_rows;
      if (!v) {
        failures.add("expected " + tag + " to parse, got: " + error);
      } else if (iu::semver::to_string(*v) != f[2]) {
        failures.add(tag + " -> " + iu::semver::to_string(*v) + ", expected " + f[2]);
      } else if (v->original != tag) {
        failures.add(tag + ": original not kept");
      }
    } else {
      ASSERT_EQ(f[1], "error") << row;
      if (v) failures.add("expected " + tag + " to be rejected");
      if (!v && error.empty()) failures.add(tag + ": rejected without a message");
    }
  }
  EXPECT_EQ(failures.count(), 0u);
  EXPECT_GT(ok_rows, 0u);
  EXPECT_LT(ok_rows, rows.size());  // the file has both kinds; both were exercised
  std::cout << "semver-parse.tsv: " << rows.size() - failures.count() << "/" << rows.size()
            << " rows passed\n";
}

TEST(semver_conformance, CheckVectors) {
  const auto rows = data_lines("semver-check.tsv");
  ASSERT_GT(rows.size(), 40000u);
  // Thousands of rows share a constraint: parse each distinct text once.
  std::map<std::string, std::optional<Constraint>> constraints;
  Failures failures;
  std::size_t matched = 0;
  for (const std::string& row : rows) {
    const auto f = split_tabs(row);
    ASSERT_EQ(f.size(), 3u) << row;
    const std::string text = json_string(f[0]);
    auto it = constraints.find(text);
    std::string error;
    if (it == constraints.end())
      it = constraints.emplace(text, Constraint::parse(text, &error)).first;
    const std::optional<Constraint>& c = it->second;
    if (f[2] == "invalid-constraint") {
      if (c) failures.add("constraint " + f[0] + " should be rejected");
      continue;
    }
    if (!c) {
      failures.add("constraint " + f[0] + " rejected: " + error);
      continue;
    }
    const std::string tag = json_string(f[1]);
    const auto v = iu::semver::parse_version(tag);
    if (!v) {
      failures.add("tag " + f[1] + " does not parse");
      continue;
    }
    const bool expected = f[2] == "true";
    if (!expected && f[2] != "false") throw std::runtime_error("unexpected result: " + row);
    matched += expected ? 1 : 0;
    if (c->check(*v) != expected) {
      failures.add(f[0] + " check " + f[1] + " should be " + f[2]);
    }
  }
  EXPECT_EQ(failures.count(), 0u);
  EXPECT_GT(matched, 0u);
  std::cout << "semver-check.tsv: " << rows.size() - failures.count() << "/" << rows.size()
            << " rows passed (" << constraints.size() << " distinct constraints)\n";
}

TEST(semver_conformance, SelectVectors) {
  const auto rows = data_lines("semver-select.jsonl");
  ASSERT_GT(rows.size(), 1000u);
  Failures failures;
  for (const std::string& row : rows) {
    rapidjson::Document doc;
    doc.Parse(row.c_str(), row.size());
    ASSERT_FALSE(doc.HasParseError()) << row;
    const std::string text(doc["constraint"].GetString(), doc["constraint"].GetStringLength());
    std::vector<std::string> tags;
    for (const auto& t : doc["tags"].GetArray())
      tags.emplace_back(t.GetString(), t.GetStringLength());
    std::string error;
    const auto c = Constraint::parse_or_any(text, &error);
    if (doc["constraint_error"].GetBool()) {
      if (c) failures.add("constraint \"" + text + "\" should be rejected: " + row);
      continue;
    }
    if (!c) {
      failures.add("constraint \"" + text + "\" rejected (" + error + "): " + row);
      continue;
    }
    const auto best = iu::semver::select_best(std::span<const std::string>(tags), *c);
    const auto order = iu::semver::rank(std::span<const std::string>(tags), *c);
    const std::string got = best ? tags[*best] : "<none>";
    const std::string want = doc["expect"].IsNull() ? "<none>"
                                                    : std::string(doc["expect"].GetString(),
                                                                  doc["expect"].GetStringLength());
    if (got != want) {
      failures.add("picked " + got + ", expected " + want + ": " + row);
    } else if (order.empty() != !best || (best && tags[order.front()] != tags[*best])) {
      failures.add("rank() disagrees with select_best(): " + row);
    }
  }
  EXPECT_EQ(failures.count(), 0u);
  std::cout << "semver-select.jsonl: " << rows.size() - failures.count() << "/" << rows.size()
            << " rows passed\n";
}

}  // namespace
