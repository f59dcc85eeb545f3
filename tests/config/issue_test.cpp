// The §14 message format of configuration issues.
#include "config/issue.hpp"

#include <gtest/gtest.h>

namespace iu::config {
namespace {

TEST(ConfigIssue, ObjectFieldAndMessage) {
  ObjectRef cr{"ImageUpdater", "argocd", "shop", "deploy/shop.yaml", 3, 1};
  EXPECT_EQ(cr.display(), "ImageUpdater argocd/shop");
  EXPECT_EQ(cr.location(), "deploy/shop.yaml:3:1");
  EXPECT_EQ(
      make_issue(Scope::kUpdater, cr, "spec.applicationRefs[0].namePattern", "required").what(),
      "ImageUpdater argocd/shop: spec.applicationRefs[0].namePattern: required");
  EXPECT_EQ(make_issue(Scope::kSource, cr, "", "defined more than once").what(),
            "ImageUpdater argocd/shop: defined more than once");
}

TEST(ConfigIssue, FileIssuesAreLocated) {
  ObjectRef file;
  file.file = "deploy/broken.yaml";
  EXPECT_EQ(make_issue(Scope::kSource, file, "", "cannot read the file").what(),
            "deploy/broken.yaml: cannot read the file");
  file.line = 14;
  file.column = 7;
  EXPECT_EQ(make_issue(Scope::kSource, file, "", "illegal map value").what(),
            "deploy/broken.yaml:14:7: illegal map value");
  EXPECT_EQ(ObjectRef{}.location(), "");
}

TEST(ConfigIssue, SeveritiesAndIdentity) {
  ObjectRef a{"Application", "argocd", "web", "a.yaml", 1, 1};
  ObjectRef b{"Application", "argocd", "web", "b.yaml", 9, 1};
  EXPECT_TRUE(a.same_object(b));
  b.ns = "other";
  EXPECT_FALSE(a.same_object(b));
  std::vector<ConfigIssue> issues{make_issue(Scope::kImage, a, "f", "m", Severity::kWarning)};
  EXPECT_FALSE(has_errors(issues));
  issues.push_back(make_issue(Scope::kImage, a, "f", "m"));
  EXPECT_TRUE(has_errors(issues));
  log_issues(issues);  // writes two lines to stderr; must not throw
}

}  // namespace
}  // namespace iu::config
