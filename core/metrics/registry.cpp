#include "metrics/registry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace iu::metrics {
namespace {

std::string format_number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  // Shortest text that reads back as the same double (0.1, not 0.10000000000000001).
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

void append_label_value(std::string& out, const std::string& v) {
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

std::string label_set(const std::vector<std::string>& names, const std::vector<std::string>& values,
                      const std::string& extra_name = {}, const std::string& extra_value = {}) {
  if (names.empty() && extra_name.empty()) return {};
  std::string out = "{";
  bool first = true;
  for (size_t i = 0; i < names.size(); ++i) {
    if (!first) out += ',';
    first = false;
    out += names[i] + "=\"";
    append_label_value(out, values[i]);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!first) out += ',';
    out += extra_name + "=\"" + extra_value + "\"";
  }
  return out + "}";
}

}  // namespace

const std::vector<double>& default_buckets() {
  static const std::vector<double> b{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  return b;
}

Registry& Registry::global() {
  static Registry r;
  return r;
}

uint64_t Registry::declare(Type type, const std::string& name, const std::string& help,
                           std::vector<std::string> label_names, std::vector<double> buckets) {
  std::lock_guard lock(mu_);
  if (auto it = by_name_.find(name); it != by_name_.end()) {
    const Family& f = *families_[it->second - 1];
    if (f.type != type || f.labels != label_names)
      throw std::invalid_argument("metric " + name +
                                  " already declared with another type or label names");
    return it->second;
  }
  auto f = std::make_unique<Family>();
  f->type = type;
  f->name = name;
  f->help = help;
  f->labels = std::move(label_names);
  if (type == Type::histogram) {
    f->buckets = buckets.empty() ? default_buckets() : std::move(buckets);
    std::sort(f->buckets.begin(), f->buckets.end());
  }
  families_.push_back(std::move(f));
  uint64_t id = families_.size();
  by_name_[name] = id;
  return id;
}

void Registry::update(uint64_t id, const std::vector<std::string>& label_values, double value) {
  std::lock_guard lock(mu_);
  if (id == 0 || id > families_.size()) return;
  Family& f = *families_[id - 1];
  if (label_values.size() != f.labels.size()) return;
  Series& s = f.series[label_values];
  switch (f.type) {
    case Type::counter:
      if (value > 0) s.value += value;
      break;
    case Type::gauge:
      s.value = value;
      break;
    case Type::histogram:
      if (s.bucket_counts.empty()) s.bucket_counts.assign(f.buckets.size(), 0);
      for (size_t i = 0; i < f.buckets.size(); ++i)
        if (value <= f.buckets[i]) ++s.bucket_counts[i];
      s.value += value;
      ++s.count;
      break;
  }
}

void Registry::add_gauge(uint64_t id, const std::vector<std::string>& label_values, double delta) {
  std::lock_guard lock(mu_);
  if (id == 0 || id > families_.size()) return;
  Family& f = *families_[id - 1];
  if (f.type != Type::gauge || label_values.size() != f.labels.size()) return;
  f.series[label_values].value += delta;
}

std::optional<double> Registry::value(const std::string& name,
                                      const std::vector<std::string>& label_values) const {
  std::lock_guard lock(mu_);
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  const Family& f = *families_[it->second - 1];
  auto s = f.series.find(label_values);
  if (s == f.series.end()) return std::nullopt;
  return f.type == Type::histogram ? static_cast<double>(s->second.count) : s->second.value;
}

std::string Registry::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& fp : families_) {
    const Family& f = *fp;
    const char* type = f.type == Type::counter ? "counter"
                       : f.type == Type::gauge ? "gauge"
                                               : "histogram";
    out += "# HELP " + f.name + " " + f.help + "\n# TYPE " + f.name + " " + type + "\n";
    for (const auto& [labels, s] : f.series) {
      if (f.type != Type::histogram) {
        out += f.name + label_set(f.labels, labels) + " " + format_number(s.value) + "\n";
        continue;
      }
      for (size_t i = 0; i < f.buckets.size(); ++i)
        out += f.name + "_bucket" + label_set(f.labels, labels, "le", format_number(f.buckets[i])) +
               " " + std::to_string(s.bucket_counts.empty() ? 0 : s.bucket_counts[i]) + "\n";
      out += f.name + "_bucket" + label_set(f.labels, labels, "le", "+Inf") + " " +
             std::to_string(s.count) + "\n";
      out += f.name + "_sum" + label_set(f.labels, labels) + " " + format_number(s.value) + "\n";
      out += f.name + "_count" + label_set(f.labels, labels) + " " + std::to_string(s.count) + "\n";
    }
  }
  return out;
}

}  // namespace iu::metrics
