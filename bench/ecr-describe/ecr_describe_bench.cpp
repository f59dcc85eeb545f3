// ecr-describe benchmark, the C++ side: the `ecr` registry plugin over the core's HTTP service,
// against ecr_fake.py in front of a real registry holding one large repository. In one run:
//   1. the DescribeImages path: list_tags gives every tag with its digest and push time;
//   2. the plain v2 path: tags/list, then per tag the manifest (digest) and the config blob
//      (build time) — what a time ordering costs without DescribeImages — C tags at a time.
// Prints requests (ECR API and v2 API) and wall time per path with their ratios, and checks
// that both paths report the same tags and digests. See README.md.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/http_service.hpp"
#include "log/log.hpp"
#include "plugin_host/host_api.hpp"
#include "plugin_host/instance.hpp"
#include "plugin_host/kinds.hpp"
#include "plugin_host/loader.hpp"

namespace {

struct Args {
  std::string plugin_dir, registry_url, repository = "bench/big";
  std::string prefix = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
  long concurrency = 10;
};

// The command line (CLI11): --help prints it; a bad value exits 2 with CLI11's message.
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_ENDPOINT_URL name the fake.
Args parse(int argc, char** argv) {
  Args a;
  CLI::App app{"ecr-describe benchmark, the C++ side (see README.md)", "iu_bench_ecr_describe"};
  app.add_option("--plugin-dir", a.plugin_dir, "folder of the built plugins")->required();
  app.add_option("--registry-url", a.registry_url, "ECR's registry front (ecr_fake.py)")
      ->required();
  app.add_option("--repository", a.repository, "the large repository")->capture_default_str();
  app.add_option("--prefix", a.prefix, "ECR registry host the plugin is configured for")
      ->capture_default_str();
  app.add_option("--concurrency", a.concurrency, "v2 requests in flight")
      ->check(CLI::Range(1L, 256L));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::exit(app.exit(e) == 0 ? 0 : 2);
  }
  return a;
}

std::string authority(const std::string& url) {
  auto p = url.find("://");
  std::string rest = p == std::string::npos ? url : url.substr(p + 3);
  return rest.substr(0, rest.find('/'));
}

// The core's HTTP service, counting requests per host (ECR API vs v2 API).
class CountingServices final : public iu::plugin_host::HostServices {
 public:
  explicit CountingServices(std::string v2_host) : v2_host_(std::move(v2_host)) {
    iu::http::EndpointPolicy p;
    p.key = v2_host_;
    p.rate_limit_rps = 0;  // measure the protocol, not the token bucket
    p.max_inflight = 64;
    http_.set_policy(p);
  }
  iu_status http(iu_call* call, const iu_http_request* r, iu_http_response_fn fn,
                 void* user) override {
    const std::string url(r->url.data, r->url.size);
    (authority(url) == v2_host_ ? v2_ : api_).fetch_add(1);
    return http_.handle(call, r, fn, user);
  }
  void reset() { v2_ = api_ = 0; }
  long v2() const { return v2_.load(); }
  long api() const { return api_.load(); }

 private:
  const std::string v2_host_;
  iu::http::HttpService http_;
  std::atomic<long> v2_{0}, api_{0};
};

struct Measure {
  long api = 0, v2 = 0;
  double seconds = 0;
};

template <typename Fn>
Measure measure(CountingServices& s, Fn&& fn) {
  s.reset();
  const auto t0 = std::chrono::steady_clock::now();
  fn();
  Measure m;
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  m.api = s.api();
  m.v2 = s.v2();
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse(argc, argv);
  iu::log::configure(iu::log::Level::warn, iu::log::Format::text);
  iu::plugin_host::Catalog catalog;
  iu::plugin_host::load_directories({a.plugin_dir}, catalog);
  const auto& impl = catalog.resolve(iu::plugin_host::Kind::registry, "ecr");
  const std::string host = authority(a.registry_url);
  auto services = std::make_shared<CountingServices>(host);
  iu::plugin_host::set_host_services(services);

  auto make = [&](const std::string& listing) {
    iu::plugin_host::ConfigMap given{{"api_url", a.registry_url}, {"prefix", a.prefix},
                                     {"name", a.prefix},          {"defaultns", ""},
                                     {"insecure", "false"},       {"tagsortmode", "none"},
                                     {"listing", listing}};
    auto config = iu::plugin_host::validate_config(
        impl, given, "bench",
        {"api_url", "prefix", "name", "defaultns", "insecure", "tagsortmode"});
    return std::make_unique<iu::plugin_host::RegistryInstance>(impl, std::move(config), host);
  };
  const iu::plugin_host::Credentials none{};
  int exit_code = 0;
  try {
    // Warm-up (not measured): the fake reads the registry once and caches it.
    make("describe-images")->list_tags(a.repository, none);

    std::vector<iu::plugin_host::TagInfo> described;
    auto di = make("describe-images");
    Measure m_di = measure(*services, [&] { described = di->list_tags(a.repository, none); });

    std::vector<iu::plugin_host::TagInfo> listed;
    std::map<std::string, std::string> v2_digest;
    std::mutex mu;
    auto v2 = make("tags-list");
    Measure m_list = measure(*services, [&] { listed = v2->list_tags(a.repository, none); });
    Measure m_meta = measure(*services, [&] {
      std::atomic<size_t> next{0};
      std::vector<std::jthread> workers;
      for (long w = 0; w < a.concurrency; ++w)
        workers.emplace_back([&] {
          for (size_t i; (i = next.fetch_add(1)) < listed.size();) {
            auto m = v2->get_manifest(a.repository, none, listed[i].tag);
            v2->get_image_config(a.repository, none, m.config_digest);
            std::lock_guard lock(mu);
            v2_digest[listed[i].tag] = m.digest;
          }
        });
    });
    Measure m_v2{m_list.api + m_meta.api, m_list.v2 + m_meta.v2, m_list.seconds + m_meta.seconds};

    // Same tags, same digests.
    size_t mismatches = 0;
    std::vector<std::string> a_tags, b_tags;
    for (const auto& t : described) {
      a_tags.push_back(t.tag);
      auto it = v2_digest.find(t.tag);
      if (it == v2_digest.end() || it->second != t.digest) ++mismatches;
    }
    for (const auto& t : listed) b_tags.push_back(t.tag);
    std::sort(a_tags.begin(), a_tags.end());
    std::sort(b_tags.begin(), b_tags.end());
    const bool ordered = std::is_sorted(described.begin(), described.end(), [](auto& x, auto& y) {
      return x.pushed_at_ms < y.pushed_at_ms;
    });

    auto row = [](const char* name, const Measure& m) {
      std::printf("%-46s%10ld%10ld%10ld%10.3f\n", name, m.api + m.v2, m.api, m.v2, m.seconds);
    };
    std::printf("ecr-describe: repository %s, %zu tags, v2 metadata %ld at a time\n",
                a.repository.c_str(), described.size(), a.concurrency);
    std::printf("%-46s%10s%10s%10s%10s\n", "path", "requests", "ECR API", "v2 API", "wall s");
    row("DescribeImages (tags + digests + push times)", m_di);
    row("v2 tags/list (tags only)", m_list);
    row("v2 tags/list + manifest + config per tag", m_v2);
    const double req_ratio = static_cast<double>(m_v2.api + m_v2.v2) /
                             static_cast<double>(std::max(1L, m_di.api + m_di.v2));
    std::printf("requests v2 / DescribeImages: %.1fx   wall time v2 / DescribeImages: %.1fx\n",
                req_ratio, m_v2.seconds / std::max(1e-9, m_di.seconds));
    const bool ok = !described.empty() && a_tags == b_tags && mismatches == 0 && ordered;
    if (ok)
      std::printf("PASS: both paths report the same %zu tags and digests; push-time order\n",
                  described.size());
    else
      std::printf("FAIL: tags equal=%d, digest mismatches=%zu, push-time ordered=%d\n",
                  a_tags == b_tags ? 1 : 0, mismatches, ordered ? 1 : 0);
    exit_code = ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ecr-describe: %s\n", e.what());
    exit_code = 1;
  }
  iu::plugin_host::set_host_services(nullptr);
  return exit_code;
}
