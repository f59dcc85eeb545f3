// A stand-in for the two Kubernetes review APIs behind --metrics-secure, which
// ../shared/fixtures/kube_fake.py does not serve:
//   POST /apis/authentication.k8s.io/v1/tokenreviews
//   POST /apis/authorization.k8s.io/v1/subjectaccessreviews
// Over HTTPS (a self-signed certificate for 127.0.0.1) on a free 127.0.0.1 port, in-process.
// Like an API server it wants the caller's own credentials (the ServiceAccount token written to
// the kubeconfig) and answers 401 without them. Tokens map to users, and users are allowed
// (verb, path) pairs, from tables the test sets; every review received is counted and the last
// SubjectAccessReview body kept. Any other path: 404.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace iu::server {
class HttpServer;
}

namespace iu::test {

class ReviewResponder {
 public:
  struct User {
    std::string name, uid;
    std::vector<std::string> groups;
    std::map<std::string, std::vector<std::string>> extra;
  };
  // The token the updater itself presents (the kubeconfig's user).
  static constexpr const char* kOwnToken = "updater-serviceaccount-token";

  // Starts serving; writes `dir`/kubeconfig and `dir`/ca.crt.
  explicit ReviewResponder(const std::filesystem::path& dir);
  ~ReviewResponder();
  ReviewResponder(const ReviewResponder&) = delete;
  ReviewResponder& operator=(const ReviewResponder&) = delete;

  const std::filesystem::path& kubeconfig() const { return kubeconfig_; }
  std::string url() const;

  void add_token(const std::string& token, User user);
  // SubjectAccessReviews for `user` on non-resource `path` with `verb` answer allowed.
  void allow(const std::string& user, const std::string& verb, const std::string& path);
  // Every review is answered with HTTP `status` (0: normal answers again). With `echo` the error
  // body quotes the request body, as a careless proxy might.
  void fail_with(int status, bool echo = false);
  // Stops listening (connections are refused from then on).
  void stop();

  int token_reviews() const { return token_reviews_.load(); }
  int access_reviews() const { return access_reviews_.load(); }
  int unauthorized_calls() const { return unauthorized_.load(); }
  void reset_counts();
  std::string last_access_review() const;

 private:
  struct Answer {
    int status;
    std::string body;
  };
  Answer token_review(const std::string& body);
  Answer access_review(const std::string& body);

  std::filesystem::path kubeconfig_;
  std::unique_ptr<server::HttpServer> server_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::map<std::string, User> users_;                      // by token
  std::set<std::pair<std::string, std::string>> allowed_;  // (user, "verb path")
  std::string last_access_review_;
  int fail_status_ = 0;
  bool fail_echo_ = false;
  std::atomic<int> token_reviews_{0}, access_reviews_{0}, unauthorized_{0};
};

}  // namespace iu::test
