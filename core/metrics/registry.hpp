// A small Prometheus metrics registry: counters, gauges and histograms with labels, rendered in
// the text exposition format (version 0.0.4). Thread-safe. Used by the core and, through the
// host table (metric_declare / metric_update), by plugins.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace iu::metrics {

enum class Type { counter = 1, gauge = 2, histogram = 3 };

// Bucket upper bounds used when a histogram is declared without its own.
const std::vector<double>& default_buckets();

class Registry {
 public:
  // The process-wide registry served on /metrics.
  static Registry& global();

  // Declares a metric (idempotent). Returns its id (> 0). Re-declaring a name with another type
  // or other label names fails with std::invalid_argument naming the metric.
  uint64_t declare(Type type, const std::string& name, const std::string& help,
                   std::vector<std::string> label_names, std::vector<double> buckets = {});

  // Counter: += value (negative values are ignored); gauge: = value; histogram: observe(value).
  // label_values must have one entry per declared label; otherwise the update is dropped.
  void update(uint64_t id, const std::vector<std::string>& label_values, double value);
  void add_gauge(uint64_t id, const std::vector<std::string>& label_values, double delta);

  // Current value of a counter/gauge series, or a histogram's count; nullopt when absent.
  std::optional<double> value(const std::string& name,
                              const std::vector<std::string>& label_values) const;

  std::string render() const;

 private:
  struct Series {
    double value = 0;  // counter/gauge; histogram: sum
    uint64_t count = 0;
    std::vector<uint64_t> bucket_counts;
  };
  struct Family {
    Type type;
    std::string name, help;
    std::vector<std::string> labels;
    std::vector<double> buckets;
    std::map<std::vector<std::string>, Series> series;
  };
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Family>> families_;  // id = index + 1
  std::map<std::string, uint64_t> by_name_;
};

}  // namespace iu::metrics
