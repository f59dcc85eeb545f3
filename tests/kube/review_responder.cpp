#include "review_responder.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <stdexcept>

#include "server/http_server.hpp"

namespace iu::test {
namespace {

constexpr const char* kJson = "application/json";

std::string status_body(int code, const std::string& reason, const std::string& message) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("apiVersion");
  w.String("v1");
  w.Key("kind");
  w.String("Status");
  w.Key("status");
  w.String("Failure");
  w.Key("reason");
  w.String(reason.c_str());
  w.Key("message");
  w.String(message.c_str());
  w.Key("code");
  w.Int(code);
  w.EndObject();
  return buf.GetString();
}

std::string str(const rapidjson::Value& v, const char* name) {
  if (!v.IsObject()) return {};
  auto it = v.FindMember(name);
  return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : std::string();
}

const rapidjson::Value* obj(const rapidjson::Value& v, const char* name) {
  if (!v.IsObject()) return nullptr;
  auto it = v.FindMember(name);
  return it != v.MemberEnd() && it->value.IsObject() ? &it->value : nullptr;
}

}  // namespace

ReviewResponder::ReviewResponder(const std::filesystem::path& dir) {
  server::ServerOptions o;
  o.bind_address = "127.0.0.1:0";
  server::TlsOptions tls;
  tls.cert_dir = (dir / "no-such-cert-dir").string();  // self-signed for 127.0.0.1
  tls.min_version = "1.2";
  o.tls = tls;
  // Every request goes through the same gate: the caller's own token, then the fault switch.
  auto route = [this](Answer (ReviewResponder::*handler)(const std::string&)) {
    return [this, handler](const server::Request& r) {
      auto auth = r.headers.find("authorization");
      if (r.method != "POST")
        return server::Response{405, kJson, status_body(405, "MethodNotAllowed", r.method), {}};
      if (auth == r.headers.end() || auth->second != std::string("Bearer ") + kOwnToken) {
        ++unauthorized_;
        return server::Response{401, kJson, status_body(401, "Unauthorized", "Unauthorized"), {}};
      }
      {
        std::lock_guard lock(mu_);
        if (fail_status_ != 0)
          return server::Response{
              fail_status_,
              kJson,
              status_body(fail_status_, fail_status_ == 403 ? "Forbidden" : "InternalError",
                          fail_echo_ ? "cannot handle request " + r.body : "injected failure"),
              {}};
      }
      Answer a = (this->*handler)(r.body);
      return server::Response{a.status, kJson, a.body, {}};
    };
  };
  server_ = std::make_unique<server::HttpServer>(
      o, std::map<std::string, server::Handler>{
             {"/apis/authentication.k8s.io/v1/tokenreviews", route(&ReviewResponder::token_review)},
             {"/apis/authorization.k8s.io/v1/subjectaccessreviews",
              route(&ReviewResponder::access_review)}});
  port_ = server_->port();
  const std::filesystem::path ca = dir / "ca.crt";
  std::ofstream(ca) << server_->certificate_pem();
  kubeconfig_ = dir / "kubeconfig";
  std::ofstream(kubeconfig_) << "apiVersion: v1\nkind: Config\n"
                             << "clusters:\n- name: reviews\n  cluster:\n    server: " << url()
                             << "\n    certificate-authority: " << ca.string() << "\n"
                             << "users:\n- name: updater\n  user:\n    token: " << kOwnToken << "\n"
                             << "contexts:\n- name: reviews\n  context: {cluster: reviews, user: "
                                "updater, namespace: argocd}\n"
                             << "current-context: reviews\n";
}

ReviewResponder::~ReviewResponder() = default;

std::string ReviewResponder::url() const { return "https://127.0.0.1:" + std::to_string(port_); }

void ReviewResponder::add_token(const std::string& token, User user) {
  std::lock_guard lock(mu_);
  users_[token] = std::move(user);
}

void ReviewResponder::allow(const std::string& user, const std::string& verb,
                            const std::string& path) {
  std::lock_guard lock(mu_);
  allowed_.emplace(user, verb + " " + path);
}

void ReviewResponder::fail_with(int status, bool echo) {
  std::lock_guard lock(mu_);
  fail_status_ = status;
  fail_echo_ = echo;
}

void ReviewResponder::stop() { server_.reset(); }

void ReviewResponder::reset_counts() {
  token_reviews_ = 0;
  access_reviews_ = 0;
  unauthorized_ = 0;
}

std::string ReviewResponder::last_access_review() const {
  std::lock_guard lock(mu_);
  return last_access_review_;
}

ReviewResponder::Answer ReviewResponder::token_review(const std::string& body) {
  ++token_reviews_;
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (d.HasParseError() || str(d, "kind") != "TokenReview" ||
      str(d, "apiVersion") != "authentication.k8s.io/v1" || !obj(d, "spec"))
    return {400, status_body(400, "BadRequest", "not a TokenReview")};
  const std::string token = str(*obj(d, "spec"), "token");
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("apiVersion");
  w.String("authentication.k8s.io/v1");
  w.Key("kind");
  w.String("TokenReview");
  w.Key("status");
  w.StartObject();
  std::lock_guard lock(mu_);
  auto it = users_.find(token);
  w.Key("authenticated");
  w.Bool(it != users_.end());
  if (it == users_.end()) {
    w.Key("error");
    w.String("invalid bearer token");
  } else {
    const User& u = it->second;
    w.Key("user");
    w.StartObject();
    w.Key("username");
    w.String(u.name.c_str());
    w.Key("uid");
    w.String(u.uid.c_str());
    w.Key("groups");
    w.StartArray();
    for (const auto& g : u.groups) w.String(g.c_str());
    w.EndArray();
    w.Key("extra");
    w.StartObject();
    for (const auto& [k, vs] : u.extra) {
      w.Key(k.c_str());
      w.StartArray();
      for (const auto& v : vs) w.String(v.c_str());
      w.EndArray();
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  return {201, buf.GetString()};
}

ReviewResponder::Answer ReviewResponder::access_review(const std::string& body) {
  ++access_reviews_;
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (d.HasParseError() || str(d, "kind") != "SubjectAccessReview" ||
      str(d, "apiVersion") != "authorization.k8s.io/v1" || !obj(d, "spec"))
    return {400, status_body(400, "BadRequest", "not a SubjectAccessReview")};
  const rapidjson::Value& spec = *obj(d, "spec");
  const rapidjson::Value* attrs = obj(spec, "nonResourceAttributes");
  const std::string user = str(spec, "user");
  std::lock_guard lock(mu_);
  last_access_review_ = body;
  const bool allowed = attrs != nullptr &&
                       allowed_.count({user, str(*attrs, "verb") + " " + str(*attrs, "path")}) != 0;
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("apiVersion");
  w.String("authorization.k8s.io/v1");
  w.Key("kind");
  w.String("SubjectAccessReview");
  w.Key("status");
  w.StartObject();
  w.Key("allowed");
  w.Bool(allowed);
  if (!allowed) {
    w.Key("reason");
    w.String("no RBAC policy matched");
  }
  w.EndObject();
  w.EndObject();
  return {201, buf.GetString()};
}

}  // namespace iu::test
