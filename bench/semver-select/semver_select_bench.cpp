// C++ side of the semver-select benchmark (see README.md).
//
//   iu_bench_semver_select generate FILE [COUNT] [SEED]   write COUNT realistic tags, one a line
//   iu_bench_semver_select run FILE CONSTRAINT [REPS]      pick the best tag REPS times, report
//
// `generate` is deterministic for a given COUNT and SEED (own PRNG, no std distributions, whose
// output differs between standard libraries), so both sides of the benchmark read the same
// file. `run` times only the selection (parse + check + compare of every tag), not file I/O,
// and prints "key: value" lines that run.sh reads.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "constraint.hpp"
#include "select.hpp"

namespace {

// SplitMix64: tiny, fast and fully specified, so the tag file is identical everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform enough for a benchmark mix in [0, n).
  unsigned below(unsigned n) { return static_cast<unsigned>(next() % n); }

 private:
  std::uint64_t state_;
};

std::string hex(Rng& rng, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < digits; ++i) s += kHex[rng.below(16)];
  return s;
}

// Small majors are far more common than large ones in real registries.
std::string mmp(Rng& rng, int parts) {
  static constexpr unsigned kMajors[] = {0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 6};
  std::string s = std::to_string(kMajors[rng.below(std::size(kMajors))]);
  if (parts >= 2) s += "." + std::to_string(rng.below(31));
  if (parts >= 3) s += "." + std::to_string(rng.below(41));
  return s;
}

std::string prerelease(Rng& rng) {
  switch (rng.below(7)) {
    case 0:
      return "-rc." + std::to_string(rng.below(6));
    case 1:
      return "-rc" + std::to_string(rng.below(6));
    case 2:
      return "-alpha." + std::to_string(rng.below(4));
    case 3:
      return "-beta";
    case 4:
      return "-SNAPSHOT";
    case 5:
      return "-0";
    default:
      return "-beta." + std::to_string(rng.below(12));
  }
}

std::string two_digits(unsigned v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// One tag of the mix described in README.md (weights out of 100). Every random draw is its own
// statement: the evaluation order of operands of '+' is unspecified, and the file must not
// depend on the compiler.
std::string make_tag(Rng& rng) {
  const unsigned roll = rng.below(100);
  if (roll < 24) return mmp(rng, 3);        // 1.2.3
  if (roll < 38) return "v" + mmp(rng, 3);  // v1.2.3
  if (roll < 48) {                          // prereleases, sometimes with a 'v'
    std::string tag = rng.below(4) == 0 ? "v" : "";
    tag += mmp(rng, 3);
    tag += prerelease(rng);
    return tag;
  }
  if (roll < 56) {  // build metadata
    std::string tag = mmp(rng, 3);
    switch (rng.below(3)) {
      case 0:
        return tag + "+build." + std::to_string(rng.below(500));
      case 1:
        return tag + "+sha." + hex(rng, 7);
      default:
        tag += prerelease(rng);
        return tag + "+b" + std::to_string(rng.below(99));
    }
  }
  if (roll < 64) {  // two parts: 1.25, v1.25
    std::string tag = rng.below(3) == 0 ? "v" : "";
    return tag + mmp(rng, 2);
  }
  if (roll < 68) return mmp(rng, 1);  // a bare number, e.g. 7
  if (roll < 74) {                    // OS-variant tags: 1.25.3-alpine, 1.25-alpine3.18
    static constexpr const char* kVariants[] = {"-alpine", "-alpine3.18", "-debian-bookworm",
                                                "-slim", "-ubi9"};
    std::string tag = mmp(rng, 2 + static_cast<int>(rng.below(2)));
    return tag + kVariants[rng.below(5)];
  }
  if (roll < 84) return "sha-" + hex(rng, 7);
  if (roll < 90) {
    switch (rng.below(3)) {
      case 0:
        return "main-" + hex(rng, 7);
      case 1:
        return "pr-" + std::to_string(1000 + rng.below(9000));
      default:
        return "release-" + hex(rng, 6);
    }
  }
  if (roll < 94) {  // dates: 2024.01.02, 20240102, 2024-01-02
    const std::string y = std::to_string(2019 + rng.below(7));
    const std::string m = two_digits(1 + rng.below(12));
    const std::string d = two_digits(1 + rng.below(28));
    switch (rng.below(3)) {
      case 0:
        return y + "." + m + "." + d;
      case 1:
        return y + m + d;
      default:
        return y + "-" + m + "-" + d;
    }
  }
  if (roll < 97) {
    static constexpr const char* kNames[] = {"latest", "stable", "edge", "nightly", "dev"};
    return kNames[rng.below(5)];
  }
  std::string tag = mmp(rng, 3);
  switch (rng.below(3)) {  // odd but real
    case 0:
      return tag + "." + std::to_string(rng.below(9));  // four parts: not a version
    case 1:
      return "0" + tag;  // leading zero: still a version
    default:
      return "18446744073709551616" + tag.substr(tag.find('.'));  // major overflows: no version
  }
}

int generate(const std::string& path, std::size_t count, std::uint64_t seed) {
  Rng rng(seed);
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    std::cerr << "cannot write " << path << "\n";
    return 1;
  }
  for (std::size_t i = 0; i < count; ++i) out << make_tag(rng) << '\n';
  return out ? 0 : 1;
}

int run(const std::string& path, std::string_view constraint_text, int reps) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << path << "\n";
    return 1;
  }
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const std::vector<std::string_view> tags(lines.begin(), lines.end());

  std::string error;
  const auto constraint = iu::semver::Constraint::parse_or_any(constraint_text, &error);
  if (!constraint) {
    std::cerr << "invalid constraint: " << error << "\n";
    return 1;
  }

  std::vector<double> ms;
  std::optional<std::size_t> chosen;
  for (int r = 0; r < reps; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const auto best = iu::semver::select_best(tags, *constraint);
    const auto stop = std::chrono::steady_clock::now();
    ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    if (r > 0 && best != chosen) {
      std::cerr << "selection is not deterministic\n";
      return 1;
    }
    chosen = best;
  }
  std::sort(ms.begin(), ms.end());
  std::printf("impl: c++ iu::semver\n");
  std::printf("tags: %zu\n", tags.size());
  std::printf("chosen: %s\n", chosen ? std::string(tags[*chosen]).c_str() : "<none>");
  std::printf("reps: %d\n", reps);
  std::printf("best_ms: %.4f\n", ms.front());
  std::printf("median_ms: %.4f\n", ms[ms.size() / 2]);
  return 0;
}

int usage() {
  std::cerr << "usage: iu_bench_semver_select generate FILE [COUNT=100000] [SEED=42]\n"
               "       iu_bench_semver_select run FILE CONSTRAINT [REPS=21]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 2 && args[0] == "generate") {
    const std::size_t count = args.size() > 2 ? std::stoull(args[2]) : 100000;
    const std::uint64_t seed = args.size() > 3 ? std::stoull(args[3]) : 42;
    return generate(args[1], count, seed);
  }
  if (args.size() >= 3 && args[0] == "run") {
    const int reps = args.size() > 3 ? std::stoi(args[3]) : 21;
    return reps > 0 ? run(args[1], args[2], reps) : usage();
  }
  return usage();
}
