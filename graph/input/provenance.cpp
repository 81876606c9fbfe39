#include "graph/input/provenance.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>

#include "graph/support/errors.hpp"

namespace chokepoint {

std::string sha256_hex(std::string_view bytes) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1)
    throw IoError("could not compute a SHA-256 checksum (OpenSSL)");
  std::string out;
  for (unsigned int i = 0; i < length; ++i) out += fmt::format("{:02x}", digest[i]);
  return out;
}

std::vector<InputFile> input_files(const SourceFiles& files,
                                   const std::vector<std::string>& graph_paths,
                                   const std::vector<std::string>& scenario_paths,
                                   const std::vector<std::string>& rules_paths) {
  std::vector<InputFile> out;
  auto add = [&](const std::string& role, const std::vector<std::string>& paths) {
    for (const auto& path : paths) {
      if (std::any_of(out.begin(), out.end(), [&](const InputFile& f) { return f.path == path; }))
        continue;
      for (std::uint32_t i = 0; i < files.size(); ++i)
        if (files.path(i) == path) {
          out.push_back(InputFile{
              role, path, files.released(i) ? files.checksum(i) : sha256_hex(files.text(i))});
          break;
        }
    }
  };
  add("graph", graph_paths);
  add("scenario", scenario_paths);
  add("rules", rules_paths);
  return out;
}

}  // namespace chokepoint
