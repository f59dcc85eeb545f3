// A fake host table for driving iu_dockerv2 directly (no plugin loading, no network): every HTTP
// request goes to a handler function and is recorded; logs and metric updates are recorded too.
// The library reaches the host through iu::sdk::host_api(), which FakeHost points at itself.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "iu/plugin.h"

// The host's opaque per-call context, as this fake host defines it.
struct iu_call {
  std::string error;       // last message set by the library or the fake transport
  bool cancelled = false;  // what host->cancelled() reports
};

namespace iu::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct SeenRequest {
  std::string method, url, op, singleflight_key;
  uint32_t flags = 0;
  uint64_t max_body_bytes = 0;
  Headers headers;
  // The first header with this name (case-insensitive), "" when absent.
  std::string header(std::string_view name) const;
};

struct Reply {
  int status = 200;
  Headers headers;  // any case; the fake host lower-cases names like the real one
  std::string body;
  iu_status transport = IU_STATUS_OK;  // not OK: no response, the call fails with this status
};

using Handler = std::function<Reply(const SeenRequest&)>;

class FakeHost {
 public:
  // Installs this host as the table iu::sdk::host_api() returns (one FakeHost at a time).
  FakeHost();
  ~FakeHost();
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  void on_request(Handler handler);
  std::vector<SeenRequest> requests() const;
  size_t count(std::string_view op) const;
  void clear_requests();
  std::vector<std::string> logs() const;
  // Sum of the updates of metric `name` with these comma-separated label values.
  double metric(const std::string& name, const std::string& labels) const;

  // Used by the C table.
  iu_status http(iu_call* call, const iu_http_request* request, iu_http_response_fn fn, void* user);
  void log(std::string line);
  uint64_t declare(const std::string& name);
  void update(uint64_t id, const std::string& labels, double value);

 private:
  mutable std::mutex mu_;
  Handler handler_;
  std::vector<SeenRequest> requests_;
  std::vector<std::string> logs_;
  std::vector<std::string> metric_names_;
  std::map<std::pair<uint64_t, std::string>, double> metric_values_;
};

}  // namespace iu::test
