#include "kube/leader_election.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "kube/time_format.hpp"
#include "log/log.hpp"

namespace iu::kube {
namespace {

constexpr const char* kShardCountAnnotation = "argocd-image-updater.argoproj.io/shard-count";
constexpr std::string_view kLeaseGV = "coordination.k8s.io/v1";

using rapidjson::Value;

std::string to_json(const rapidjson::Document& d) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  d.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

Value& ensure_object(Value& parent, const char* key, rapidjson::Document::AllocatorType& a) {
  if (!parent.HasMember(key) || !parent[key].IsObject()) {
    if (parent.HasMember(key)) parent.RemoveMember(key);
    parent.AddMember(Value(key, a), Value(rapidjson::kObjectType), a);
  }
  return parent[key];
}

void set_string(Value& obj, const char* key, const std::string& v,
                rapidjson::Document::AllocatorType& a) {
  if (obj.HasMember(key)) obj.RemoveMember(key);
  obj.AddMember(Value(key, a), Value(v.c_str(), static_cast<rapidjson::SizeType>(v.size()), a), a);
}

void set_int(Value& obj, const char* key, int64_t v, rapidjson::Document::AllocatorType& a) {
  if (obj.HasMember(key)) obj.RemoveMember(key);
  obj.AddMember(Value(key, a), Value(v), a);
}

std::string str(const Value& obj, const char* key) {
  if (!obj.IsObject() || !obj.HasMember(key) || !obj[key].IsString()) return {};
  return obj[key].GetString();
}

int64_t integer(const Value& obj, const char* key) {
  if (!obj.IsObject() || !obj.HasMember(key) || !obj[key].IsInt64()) return 0;
  return obj[key].GetInt64();
}

}  // namespace

std::string make_identity() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "unknown");
  std::random_device rd;
  uint64_t r = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  char suffix[17];
  std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(r));
  return std::string(host) + "_" + suffix;
}

LeaderElector::LeaderElector(const Client& client, ElectionOptions options)
    : client_(client), options_(std::move(options)) {}

LeaderElector::~LeaderElector() { stop(true); }

std::string LeaderElector::mismatch() const {
  std::lock_guard lock(mu_);
  return mismatch_;
}

void LeaderElector::start() {
  thread_ = std::thread([this] {
    for (;;) {
      try {
        step();
      } catch (const std::exception& e) {
        log::warn(std::string("leader election: ") + e.what());
      }
      std::unique_lock lock(wake_mu_);
      if (wake_.wait_for(lock, options_.retry_period, [this] { return stopping_; })) return;
    }
  });
}

void LeaderElector::stop(bool release_lease) {
  {
    std::lock_guard lock(wake_mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  int h = held_.exchange(-1);
  held_shard_ = -1;
  if (release_lease && h >= 0 && !lost_) release(options_.candidates[static_cast<size_t>(h)]);
}

void LeaderElector::step() {
  std::lock_guard lock(mu_);
  if (lost_) return;
  const int h = held_.load();
  if (h >= 0) {
    const auto& c = options_.candidates[static_cast<size_t>(h)];
    bool ok = false;
    try {
      ok = renew(c);
    } catch (const std::exception& e) {
      log::warn("leader election: cannot renew Lease " + options_.ns + "/" + c.name + ": " +
                e.what());
    }
    if (lost_) return;  // renew() saw another holder
    if (ok) {
      last_renew_ = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - last_renew_ > options_.renew_deadline) {
      held_ = -1;
      held_shard_ = -1;
      lost_ = true;
      log::error("leader election: lost Lease " + options_.ns + "/" + c.name +
                 " (not renewed within the renew deadline)");
    }
    return;
  }
  for (size_t i = 0; i < options_.candidates.size(); ++i) {
    const auto& c = options_.candidates[i];
    bool taken = false;
    try {
      taken = try_take(c);
    } catch (const ApiError& e) {
      if (!e.conflict())
        log::warn("leader election: Lease " + options_.ns + "/" + c.name + ": " + e.what());
    }
    if (!mismatch_.empty()) return;  // refuse every Lease while the counts disagree
    if (taken) {
      held_ = static_cast<int>(i);
      held_shard_ = c.shard;
      last_renew_ = std::chrono::steady_clock::now();
      log::info("leader election: acquired Lease " + options_.ns + "/" + c.name + " as " +
                    options_.identity,
                {{"shard", std::to_string(c.shard)}});
      return;
    }
  }
}

bool LeaderElector::try_take(const LeaseCandidate& c) {
  const std::string path = resource_path(kLeaseGV, "leases", options_.ns, c.name);
  const std::string now = format_micro_time(std::chrono::system_clock::now());
  const int64_t duration_s = std::max<int64_t>(1, options_.lease_duration.count() / 1000);
  auto existing = client_.get_if_exists(path);
  rapidjson::Document d;
  auto& a = d.GetAllocator();
  if (!existing) {
    d.SetObject();
    set_string(d, "apiVersion", "coordination.k8s.io/v1", a);
    set_string(d, "kind", "Lease", a);
    Value& meta = ensure_object(d, "metadata", a);
    set_string(meta, "name", c.name, a);
    set_string(meta, "namespace", options_.ns, a);
    set_string(ensure_object(meta, "annotations", a), kShardCountAnnotation,
               std::to_string(options_.shard_count), a);
    Value& spec = ensure_object(d, "spec", a);
    set_string(spec, "holderIdentity", options_.identity, a);
    set_int(spec, "leaseDurationSeconds", duration_s, a);
    set_string(spec, "acquireTime", now, a);
    set_string(spec, "renewTime", now, a);
    set_int(spec, "leaseTransitions", 0, a);
    client_.create(resource_path(kLeaseGV, "leases", options_.ns), to_json(d));
    return true;
  }
  d.Parse(existing->data(), existing->size());
  if (d.HasParseError() || !d.IsObject()) return false;
  Value& meta = ensure_object(d, "metadata", a);
  if (meta.HasMember("annotations") && meta["annotations"].IsObject()) {
    std::string count = str(meta["annotations"], kShardCountAnnotation);
    if (!count.empty() && count != std::to_string(options_.shard_count)) {
      std::string why = "Lease " + options_.ns + "/" + c.name + " is annotated " +
                        kShardCountAnnotation + "=" + count +
                        " but this replica runs with --shard-count " +
                        std::to_string(options_.shard_count);
      if (why != mismatch_)  // once per distinct mismatch, not every retry period
        log::error("leader election: " + why + "; not taking any Lease");
      mismatch_ = std::move(why);
      return false;
    }
  }
  mismatch_.clear();
  Value& spec = ensure_object(d, "spec", a);
  const std::string holder = str(spec, "holderIdentity");
  if (!holder.empty() && holder != options_.identity) {
    auto renewed = parse_micro_time(str(spec, "renewTime"));
    int64_t held_for = integer(spec, "leaseDurationSeconds");
    if (renewed && *renewed + std::chrono::seconds(held_for) > std::chrono::system_clock::now())
      return false;  // held and not expired
  }
  if (holder != options_.identity) {
    set_int(spec, "leaseTransitions", integer(spec, "leaseTransitions") + 1, a);
    set_string(spec, "acquireTime", now, a);
  }
  set_string(spec, "holderIdentity", options_.identity, a);
  set_int(spec, "leaseDurationSeconds", duration_s, a);
  set_string(spec, "renewTime", now, a);
  set_string(ensure_object(meta, "annotations", a), kShardCountAnnotation,
             std::to_string(options_.shard_count), a);
  client_.update(path, to_json(d));  // 409 when someone else changed it first
  return true;
}

bool LeaderElector::renew(const LeaseCandidate& c) {
  const std::string path = resource_path(kLeaseGV, "leases", options_.ns, c.name);
  std::string body = client_.get(path);
  rapidjson::Document d;
  auto& a = d.GetAllocator();
  d.Parse(body.data(), body.size());
  if (d.HasParseError() || !d.IsObject()) return false;
  Value& spec = ensure_object(d, "spec", a);
  if (str(spec, "holderIdentity") != options_.identity) {
    lost_ = true;
    held_ = -1;
    held_shard_ = -1;
    log::error("leader election: Lease " + options_.ns + "/" + c.name + " is now held by " +
               str(spec, "holderIdentity"));
    return false;
  }
  set_string(spec, "renewTime", format_micro_time(std::chrono::system_clock::now()), a);
  client_.update(path, to_json(d));
  return true;
}

void LeaderElector::release(const LeaseCandidate& c) {
  try {
    client_.modify(resource_path(kLeaseGV, "leases", options_.ns, c.name),
                   [&](const std::string& body) -> std::optional<std::string> {
                     rapidjson::Document d;
                     auto& a = d.GetAllocator();
                     d.Parse(body.data(), body.size());
                     if (d.HasParseError() || !d.IsObject()) return std::nullopt;
                     Value& spec = ensure_object(d, "spec", a);
                     if (str(spec, "holderIdentity") != options_.identity) return std::nullopt;
                     set_string(spec, "holderIdentity", "", a);
                     set_int(spec, "leaseDurationSeconds", 1, a);
                     set_string(spec, "renewTime",
                                format_micro_time(std::chrono::system_clock::now()), a);
                     return to_json(d);
                   });
    log::info("leader election: released Lease " + options_.ns + "/" + c.name);
  } catch (const std::exception& e) {
    log::warn("leader election: cannot release Lease " + options_.ns + "/" + c.name + ": " +
              e.what());
  }
}

}  // namespace iu::kube
