#include "iu/gotemplate/branch_name.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "unicode.hpp"

namespace iu::gotemplate {
namespace {

constexpr std::size_t kMaxBranchName = 255;

}  // namespace

std::string changes_sha256(const std::vector<BranchImage>& images) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 is not available from OpenSSL");
  }
  for (const BranchImage& image : images) {
    const std::string part = image.name + "-" + image.old_tag + "-" + image.new_tag + ",";
    EVP_DigestUpdate(ctx.get(), part.data(), part.size());
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xF];
  }
  return hex;
}

Value branch_name_data(const Application& app, const std::vector<BranchImage>& images,
                       const std::string& target_key) {
  Value::List list;
  for (const BranchImage& image : images) {
    list.push_back(Value::record({{"Name", image.name},
                                  {"Alias", image.alias},
                                  {"OldTag", image.old_tag},
                                  {"NewTag", image.new_tag}}));
  }
  return Value::record({{"AppName", app.name},
                        {"AppNamespace", app.ns},
                        {"Images", Value::list(std::move(list))},
                        {"SHA256", changes_sha256(images)},
                        {"TargetKey", target_key}});
}

std::string render_branch_name(const Template& tmpl, const Application& app,
                               const std::vector<BranchImage>& images,
                               const std::string& target_key) {
  std::string name = tmpl.execute(branch_name_data(app, images, target_key));
  if (name.size() > kMaxBranchName) {
    std::size_t cut = 0;
    while (true) {
      const std::size_t next = cut + detail::decode_rune(name, cut).width;
      if (next > kMaxBranchName) break;
      cut = next;
    }
    name.resize(cut);
  }
  return name;
}

}  // namespace iu::gotemplate
