#include <gtest/gtest.h>

#include "metrics/registry.hpp"

namespace iu::metrics {
namespace {

TEST(Metrics, RendersPrometheusText) {
  Registry r;
  auto c = r.declare(Type::counter, "iu_requests_total", "Requests.", {"registry"});
  auto g = r.declare(Type::gauge, "iu_inflight", "In flight.", {});
  auto h = r.declare(Type::histogram, "iu_duration_seconds", "Durations.", {"op"}, {0.1, 1});
  r.update(c, {"ghcr.io"}, 2);
  r.update(c, {"ghcr.io"}, 1);
  r.update(c, {"ghcr.io"}, -5);  // counters never go down
  r.update(g, {}, 3);
  r.update(h, {"tags"}, 0.05);
  r.update(h, {"tags"}, 0.5);
  r.update(c, {"too", "many"}, 1);  // wrong label count: dropped
  EXPECT_EQ(r.value("iu_requests_total", {"ghcr.io"}), 3.0);
  EXPECT_EQ(r.value("iu_duration_seconds", {"tags"}), 2.0);
  EXPECT_EQ(r.render(),
            "# HELP iu_requests_total Requests.\n# TYPE iu_requests_total counter\n"
            "iu_requests_total{registry=\"ghcr.io\"} 3\n"
            "# HELP iu_inflight In flight.\n# TYPE iu_inflight gauge\niu_inflight 3\n"
            "# HELP iu_duration_seconds Durations.\n# TYPE iu_duration_seconds histogram\n"
            "iu_duration_seconds_bucket{op=\"tags\",le=\"0.1\"} 1\n"
            "iu_duration_seconds_bucket{op=\"tags\",le=\"1\"} 2\n"
            "iu_duration_seconds_bucket{op=\"tags\",le=\"+Inf\"} 2\n"
            "iu_duration_seconds_sum{op=\"tags\"} 0.55\n"
            "iu_duration_seconds_count{op=\"tags\"} 2\n");
}

TEST(Metrics, RedeclarationMustMatch) {
  Registry r;
  auto a = r.declare(Type::counter, "x_total", "X.", {"a"});
  EXPECT_EQ(r.declare(Type::counter, "x_total", "X.", {"a"}), a);
  EXPECT_THROW(r.declare(Type::gauge, "x_total", "X.", {"a"}), std::invalid_argument);
  EXPECT_THROW(r.declare(Type::counter, "x_total", "X.", {"b"}), std::invalid_argument);
}

}  // namespace
}  // namespace iu::metrics
