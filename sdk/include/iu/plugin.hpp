// Header-only C++20 layer over <iu/plugin.h>.
//
// A plugin author writes a class per implementation and one IU_PLUGIN(...) line; this header
// generates the C vtables, copies inputs into views and outputs into sinks, and guarantees that
// no exception ever crosses the C boundary: iu::sdk::Error becomes its status, any other
// exception becomes IU_STATUS_INTERNAL with what() as the message.
//
//   class Calver : public iu::sdk::Strategy {
//    public:
//     explicit Calver(iu::sdk::Call&) {}
//     void rank(iu::sdk::Call&, const iu::sdk::SelectRequest& req, iu::sdk::IndexSink& out)
//     override;
//   };
//   IU_PLUGIN("strategy-calver", "0.3.1",
//             (iu::sdk::strategy_factory<Calver>("calver", "calendar versions")))
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <iterator>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "iu/plugin.h"

namespace iu::sdk {

// ---------------------------------------------------------------------------------------------
// Views and the host table
// ---------------------------------------------------------------------------------------------

inline std::string_view view(iu_str s) noexcept {
  return s.size == 0 ? std::string_view{} : std::string_view(s.data, static_cast<size_t>(s.size));
}
inline iu_str str(std::string_view s) noexcept { return iu_str{s.data(), s.size()}; }

// The host table handed to the entry point; set once before any factory is used.
inline const iu_host_api*& host_api() noexcept {
  static const iu_host_api* api = nullptr;
  return api;
}

// Thrown by plugin code to return a specific status with a message.
class Error : public std::exception {
 public:
  Error(iu_status status, std::string message) : status_(status), message_(std::move(message)) {}
  iu_status status() const noexcept { return status_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  iu_status status_;
  std::string message_;
};

// A read-only range over a host array whose elements are `stride` bytes apart (ABI rule 4).
template <typename T>
class Strided {
 public:
  Strided(const T* base, uint64_t count, uint32_t stride) noexcept
      : base_(reinterpret_cast<const unsigned char*>(base)), count_(count), stride_(stride) {}
  uint64_t size() const noexcept { return count_; }
  bool empty() const noexcept { return count_ == 0; }
  const T& operator[](uint64_t i) const noexcept {
    return *reinterpret_cast<const T*>(base_ + static_cast<size_t>(stride_) * i);
  }

 private:
  const unsigned char* base_;
  uint64_t count_;
  uint32_t stride_;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string effective_url;
  // First header with this (lower-case) name, if any.
  std::optional<std::string_view> header(std::string_view name) const {
    for (const auto& [k, v] : headers)
      if (k == name) return std::string_view(v);
    return std::nullopt;
  }
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string op = "api";
  std::string singleflight_key;
  std::string aws_sigv4;
  std::string aws_credentials;
  uint32_t flags = IU_HTTP_IDEMPOTENT;
  uint64_t max_body_bytes = 0;
  uint32_t timeout_ms = 0;
};

// The per-call context: logging, errors, configuration and the host services.
class Call {
 public:
  explicit Call(iu_call* raw) noexcept : raw_(raw) {}
  iu_call* raw() const noexcept { return raw_; }

  void log(int32_t level, std::string_view message) const {
    host_api()->log(raw_, level, str(message));
  }
  // False when the host would drop a line at `level` (true when the host table lacks the slot).
  bool log_enabled(int32_t level) const {
    const iu_host_api* h = host_api();
    return h->struct_size <= offsetof(iu_host_api, log_enabled) || h->log_enabled == nullptr ||
           h->log_enabled(raw_, level) != 0;
  }
  void debug(std::string_view m) const { log(IU_LOG_DEBUG, m); }
  void info(std::string_view m) const { log(IU_LOG_INFO, m); }
  void warn(std::string_view m) const { log(IU_LOG_WARN, m); }

  bool cancelled() const { return host_api()->cancelled(raw_) != 0; }
  int64_t remaining_ms() const { return host_api()->remaining_ms(raw_); }

  // The instance's configuration value for a declared key; nullopt when unset without default.
  std::optional<std::string> config(std::string_view key) const {
    std::optional<std::string> out;
    iu_str_sink sink{sizeof(iu_str_sink), &out, [](void* u, iu_str v) {
                       static_cast<std::optional<std::string>*>(u)->emplace(view(v));
                     }};
    if (host_api()->config_get(raw_, str(key), &sink) != IU_STATUS_OK) return std::nullopt;
    return out;
  }

  // Resolves a credential reference to "user:password". Throws Error on failure.
  std::string resolve_secret(std::string_view ref, std::string_view registry_host = {}) const {
    std::string out;
    iu_str_sink sink{sizeof(iu_str_sink), &out,
                     [](void* u, iu_str v) { static_cast<std::string*>(u)->assign(view(v)); }};
    if (iu_status st = host_api()->resolve_secret(raw_, str(ref), str(registry_host), &sink);
        st != IU_STATUS_OK)
      throw Error(st, "cannot resolve credentials " + std::string(ref));
    return out;
  }

  // Performs a request through the host transport. Throws Error when no response came back
  // (the host already set the message on the call; we repeat it in the exception).
  HttpResponse http(const HttpRequest& r) const {
    std::vector<iu_kv> headers;
    headers.reserve(r.headers.size());
    for (const auto& [k, v] : r.headers) headers.push_back(iu_kv{str(k), str(v)});
    iu_http_request req{};
    req.struct_size = sizeof(req);
    req.flags = r.flags;
    req.method = str(r.method);
    req.url = str(r.url);
    req.headers = headers.data();
    req.header_count = headers.size();
    req.body = str(r.body);
    req.op = str(r.op);
    req.singleflight_key = str(r.singleflight_key);
    req.aws_sigv4 = str(r.aws_sigv4);
    req.aws_credentials = str(r.aws_credentials);
    req.max_body_bytes = r.max_body_bytes;
    req.timeout_ms = r.timeout_ms;
    HttpResponse out;
    auto on_response = [](void* u, const iu_http_response* resp) {
      auto* o = static_cast<HttpResponse*>(u);
      o->status = resp->status;
      o->body.assign(view(resp->body));
      o->effective_url.assign(view(resp->effective_url));
      for (uint64_t i = 0; i < resp->header_count; ++i)
        o->headers.emplace_back(view(resp->headers[i].key), view(resp->headers[i].value));
    };
    if (iu_status st = host_api()->http(raw_, &req, on_response, &out); st != IU_STATUS_OK)
      throw Error(st, r.method + " " + r.url + " failed");
    return out;
  }

 private:
  iu_call* raw_;
};

// ---------------------------------------------------------------------------------------------
// Sinks
// ---------------------------------------------------------------------------------------------

class IndexSink {
 public:
  explicit IndexSink(const iu_index_sink* s) noexcept : s_(s) {}
  void put(uint64_t index) const { s_->put(s_->user, index); }

 private:
  const iu_index_sink* s_;
};

class TagSink {
 public:
  explicit TagSink(const iu_tag_sink* s) noexcept : s_(s) {}
  void put(std::string_view tag, std::string_view digest = {},
           int64_t pushed_at_ms = IU_TIME_UNKNOWN) const {
    iu_tag_info info{sizeof(iu_tag_info), str(tag), str(digest), pushed_at_ms};
    s_->put(s_->user, &info);
  }

 private:
  const iu_tag_sink* s_;
};

struct Platform {
  std::string os, architecture, variant;
};

struct Manifest {
  struct Child {
    std::string digest, media_type;
    Platform platform;
  };
  std::string digest, media_type;
  bool is_index = false;
  std::vector<Child> children;
  std::string config_digest;
};

struct ImageConfig {
  std::string created;  // RFC 3339 as served; empty when absent
  Platform platform;
  std::vector<std::pair<std::string, std::string>> labels;
};

// ---------------------------------------------------------------------------------------------
// Request views
// ---------------------------------------------------------------------------------------------

struct RepoRequest {
  std::string_view repository;
  std::string_view username, password, identity;  // empty = anonymous
  bool anonymous() const noexcept { return username.empty() && password.empty(); }
  static RepoRequest from(const iu_repo_request* r) {
    RepoRequest out;
    out.repository = view(r->repository);
    if (r->credentials != nullptr) {
      out.username = view(r->credentials->username);
      out.password = view(r->credentials->password);
      out.identity = view(r->credentials->identity);
    }
    return out;
  }
};

struct SelectRequest {
  std::string_view version;
  std::string_view image;
  Strided<iu_tag_candidate> candidates;
  uint64_t max_results;  // 0 = all
  std::string_view tag(uint64_t i) const { return view(candidates[i].tag); }
};

// Looks up a key in a kv array; nullopt when absent.
inline std::optional<std::string_view> find_kv(const iu_kv* kv, uint64_t n, std::string_view key) {
  for (uint64_t i = 0; i < n; ++i)
    if (view(kv[i].key) == key) return view(kv[i].value);
  return std::nullopt;
}

struct WriteResult {
  iu_status status = IU_STATUS_OK;
  std::string message;
  uint64_t changes_applied = 0;
};

class WriteResultSink {
 public:
  explicit WriteResultSink(const iu_write_result_sink* s) noexcept : s_(s) {}
  void put(uint64_t intent_index, const WriteResult& r) const {
    iu_write_result res{sizeof(iu_write_result), intent_index, r.status, str(r.message),
                        r.changes_applied};
    s_->put(s_->user, &res);
  }

 private:
  const iu_write_result_sink* s_;
};

// ---------------------------------------------------------------------------------------------
// Base classes: one per kind. Constructors receive the create() call (config is readable).
// ---------------------------------------------------------------------------------------------

class Registry {
 public:
  virtual ~Registry() = default;
  virtual void list_tags(Call& call, const RepoRequest& req, TagSink& out) = 0;
  virtual Manifest get_manifest(Call& call, const RepoRequest& req, std::string_view reference,
                                uint32_t flags) = 0;
  virtual ImageConfig get_image_config(Call& call, const RepoRequest& req,
                                       std::string_view config_digest) = 0;
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  // Throw Error(IU_STATUS_INVALID_ARGUMENT, ...) for a bad version text. Default: accept.
  virtual void validate(Call&, std::string_view /*version*/) {}
  virtual void rank(Call& call, const SelectRequest& req, IndexSink& out) = 0;
};

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual void order(Call& call, int64_t now_ms, const Strided<iu_sched_job>& jobs,
                     IndexSink& out) = 0;
};

struct CurrentValue {
  std::string image_name, tag, digest;
};

class Writeback {
 public:
  virtual ~Writeback() = default;
  virtual std::string batch_key(Call& call, const iu_write_intent& intent) = 0;
  virtual void write_batch(Call& call, std::span<const iu_write_intent* const> intents,
                           WriteResultSink& out) = 0;
  // What the target holds per change index (absent = no entry). Default: not supported.
  virtual std::vector<std::pair<uint64_t, CurrentValue>> read_current(Call&,
                                                                      const iu_write_intent&) {
    throw Error(IU_STATUS_UNSUPPORTED, "reading the current target is not supported");
  }
};

// ---------------------------------------------------------------------------------------------
// Exception guard and vtable generation
// ---------------------------------------------------------------------------------------------

// Runs fn; converts every exception into a status plus the call's error message.
template <typename Fn>
iu_status guard(iu_call* raw, Fn&& fn) noexcept {
  auto fail = [raw](iu_status st, const char* msg) noexcept {
    if (host_api() != nullptr && raw != nullptr) host_api()->set_error(raw, str(msg));
    return st;
  };
  try {
    fn();
    return IU_STATUS_OK;
  } catch (const Error& e) {
    return fail(e.status(), e.what());
  } catch (const std::exception& e) {
    return fail(IU_STATUS_INTERNAL, e.what());
  } catch (...) {
    return fail(IU_STATUS_INTERNAL, "unknown exception in plugin");
  }
}

namespace detail {

template <typename T>
iu_status create(iu_call* raw, void** out) noexcept {
  return guard(raw, [&] {
    Call call(raw);
    *out = new T(call);
  });
}
template <typename T>
void destroy(void* instance) noexcept {
  delete static_cast<T*>(instance);
}

inline iu_platform c_platform(const Platform& p) {
  return iu_platform{str(p.os), str(p.architecture), str(p.variant)};
}

}  // namespace detail

// Storage for one factory: descriptor entry + declared config keys.
struct FactoryStorage {
  iu_factory factory{};
  std::vector<iu_config_key> keys;
  std::vector<const iu_config_key*> key_ptrs;
  std::vector<const char*> aliases;
};

struct ConfigKey {
  int32_t type = IU_CONFIG_STRING;
  const char* name = nullptr;
  const char* default_value = nullptr;
  bool required = false;
  const char* description = "";
};

struct FactoryOptions {
  const char* description = "";
  uint32_t flags = IU_FACTORY_CONCURRENT;
  std::vector<ConfigKey> config_keys;
  std::vector<const char*> aliases;
};

namespace detail {
// Factories, their vtables and declared keys live until the process exits (the descriptor's
// lifetime, ABI rule 1), so they are allocated once per factory call and never freed. Each call
// gets its own storage: one class may be registered under several names or traits.
inline const iu_factory* finish(uint32_t kind, const char* type_name, const void* vtable,
                                const FactoryOptions& o) {
  auto& st = *new FactoryStorage();
  for (const auto& k : o.config_keys)
    st.keys.push_back(iu_config_key{sizeof(iu_config_key), k.type, k.name, k.default_value,
                                    k.required ? 1 : 0, k.description});
  for (const auto& k : st.keys) st.key_ptrs.push_back(&k);
  st.aliases = o.aliases;
  st.factory = iu_factory{sizeof(iu_factory),
                          kind,
                          type_name,
                          o.description,
                          o.flags,
                          vtable,
                          st.key_ptrs.data(),
                          static_cast<uint32_t>(st.key_ptrs.size()),
                          st.aliases.empty() ? nullptr : st.aliases.data(),
                          static_cast<uint32_t>(st.aliases.size())};
  return &st.factory;
}
}  // namespace detail

template <typename T>
const iu_factory* registry_factory(const char* type_name, FactoryOptions o = {}) {
  auto* vt = new iu_registry_vtable{
      sizeof(iu_registry_vtable),
      &detail::create<T>,
      &detail::destroy<T>,
      [](void* inst, iu_call* raw, const iu_repo_request* r, const iu_tag_sink* out) noexcept {
        return guard(raw, [&] {
          Call call(raw);
          TagSink sink(out);
          static_cast<T*>(inst)->list_tags(call, RepoRequest::from(r), sink);
        });
      },
      [](void* inst, iu_call* raw, const iu_repo_request* r, iu_str ref, uint32_t flags,
         const iu_manifest_sink* out) noexcept {
        return guard(raw, [&] {
          Call call(raw);
          Manifest m =
              static_cast<T*>(inst)->get_manifest(call, RepoRequest::from(r), view(ref), flags);
          std::vector<iu_manifest_child> kids;
          kids.reserve(m.children.size());
          for (const auto& c : m.children)
            kids.push_back(iu_manifest_child{sizeof(iu_manifest_child), str(c.digest),
                                             str(c.media_type), detail::c_platform(c.platform)});
          iu_manifest_info info{sizeof(iu_manifest_info),  str(m.digest),       str(m.media_type),
                                m.is_index ? 1 : 0,        kids.data(),         kids.size(),
                                sizeof(iu_manifest_child), str(m.config_digest)};
          out->put(out->user, &info);
        });
      },
      [](void* inst, iu_call* raw, const iu_repo_request* r, iu_str digest,
         const iu_image_config_sink* out) noexcept {
        return guard(raw, [&] {
          Call call(raw);
          ImageConfig c =
              static_cast<T*>(inst)->get_image_config(call, RepoRequest::from(r), view(digest));
          std::vector<iu_kv> labels;
          labels.reserve(c.labels.size());
          for (const auto& [k, v] : c.labels) labels.push_back(iu_kv{str(k), str(v)});
          iu_image_config info{sizeof(iu_image_config), str(c.created),
                               detail::c_platform(c.platform), labels.data(), labels.size()};
          out->put(out->user, &info);
        });
      },
  };
  return detail::finish(IU_KIND_REGISTRY, type_name, vt, o);
}

struct StrategyTraits {
  uint32_t needs = 0;
  int32_t result = IU_RESULT_TAG;
  int32_t platforms = IU_PLATFORMS_LAZY;
};

template <typename T>
const iu_factory* strategy_factory(const char* type_name, StrategyTraits traits = {},
                                   FactoryOptions o = {}) {
  auto* vt = new iu_strategy_vtable{
      sizeof(iu_strategy_vtable),
      traits.needs,
      traits.result,
      traits.platforms,
      &detail::create<T>,
      &detail::destroy<T>,
      [](void* inst, iu_call* raw, iu_str version) noexcept {
        return guard(raw, [&] {
          Call call(raw);
          static_cast<T*>(inst)->validate(call, view(version));
        });
      },
      [](void* inst, iu_call* raw, const iu_select_request* r, const iu_index_sink* out) noexcept {
        return guard(raw, [&] {
          Call call(raw);
          IndexSink sink(out);
          SelectRequest req{
              view(r->version), view(r->image),
              Strided<iu_tag_candidate>(r->candidates, r->candidate_count, r->candidate_stride),
              r->max_results};
          static_cast<T*>(inst)->rank(call, req, sink);
        });
      },
  };
  return detail::finish(IU_KIND_STRATEGY, type_name, vt, o);
}

template <typename T>
const iu_factory* scheduler_factory(const char* type_name, FactoryOptions o = {}) {
  auto* vt = new iu_scheduler_vtable{
      sizeof(iu_scheduler_vtable),
      &detail::create<T>,
      &detail::destroy<T>,
      [](void* inst, iu_call* raw, const iu_sched_request* r, const iu_index_sink* out) noexcept {
        return guard(raw, [&] {
          Call call(raw);
          IndexSink sink(out);
          static_cast<T*>(inst)->order(
              call, r->now_ms, Strided<iu_sched_job>(r->jobs, r->job_count, r->job_stride), sink);
        });
      },
  };
  return detail::finish(IU_KIND_SCHEDULER, type_name, vt, o);
}

template <typename T>
const iu_factory* writeback_factory(const char* type_name, FactoryOptions o = {}) {
  auto* vt = new iu_writeback_vtable{
      sizeof(iu_writeback_vtable),
      &detail::create<T>,
      &detail::destroy<T>,
      [](void* inst, iu_call* raw, const iu_write_intent* intent, const iu_str_sink* out) noexcept {
        return guard(raw, [&] {
          Call call(raw);
          std::string key = static_cast<T*>(inst)->batch_key(call, *intent);
          out->put(out->user, str(key));
        });
      },
      [](void* inst, iu_call* raw, const iu_write_intent* const* intents, uint64_t n,
         const iu_write_result_sink* out) noexcept {
        return guard(raw, [&] {
          Call call(raw);
          WriteResultSink sink(out);
          static_cast<T*>(inst)->write_batch(
              call, std::span<const iu_write_intent* const>(intents, static_cast<size_t>(n)), sink);
        });
      },
      [](void* inst, iu_call* raw, const iu_write_intent* intent,
         const iu_current_sink* out) noexcept {
        return guard(raw, [&] {
          Call call(raw);
          for (const auto& [index, v] : static_cast<T*>(inst)->read_current(call, *intent)) {
            iu_current_value cv{sizeof(iu_current_value), index, str(v.image_name), str(v.tag),
                                str(v.digest)};
            out->put(out->user, &cv);
          }
        });
      },
  };
  return detail::finish(IU_KIND_WRITEBACK, type_name, vt, o);
}

// Fills the plugin descriptor; used by IU_PLUGIN, which owns the storage. (Storage lives in the
// plugin's own entry function, not in an inline function: with default visibility g++ would make
// such statics STB_GNU_UNIQUE, i.e. shared by every plugin in the process.)
inline const iu_plugin_descriptor* fill_descriptor(iu_plugin_descriptor& d,
                                                   std::vector<const iu_factory*>& list,
                                                   const char* name, const char* version) {
  d = iu_plugin_descriptor{
      sizeof(iu_plugin_descriptor),      IU_ABI_MAJOR, IU_ABI_MINOR, name, version, list.data(),
      static_cast<uint32_t>(list.size())};
  return &d;
}

}  // namespace iu::sdk

// Defines the plugin's entry point. The factory expressions are evaluated once, on the first
// (and normally only) call; an exception there makes the entry return NULL (refused).
// Plugins must be built with hidden visibility (iu_add_plugin() in the SDK's CMake package does
// it) so that the SDK's inline statics stay private to each plugin.
#define IU_PLUGIN(name, version, ...)                                                              \
  extern "C" IU_EXPORT const iu_plugin_descriptor* iu_plugin_entry(const iu_plugin_query* query) { \
    if (query == nullptr || query->host == nullptr) return nullptr;                                \
    try {                                                                                          \
      ::iu::sdk::host_api() = query->host;                                                         \
      static auto* factories = new std::vector<const iu_factory*>{__VA_ARGS__};                    \
      static iu_plugin_descriptor descriptor{};                                                    \
      return ::iu::sdk::fill_descriptor(descriptor, *factories, name, version);                    \
    } catch (...) {                                                                                \
      return nullptr;                                                                              \
    }                                                                                              \
  }
