// Serialisation of cached registry metadata (manifests and image configs) as compact JSON, the
// body format of the persistent metadata store. Decoding is strict: anything that is not
// exactly what encode() writes yields std::nullopt, so a damaged row reads as a cache miss.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "plugin_host/kinds.hpp"

namespace iu::registry {

std::string encode_manifest(const plugin_host::ManifestInfo& manifest);
// The digest is the row's key and not part of the body; it is put back into the result.
std::optional<plugin_host::ManifestInfo> decode_manifest(std::string_view digest,
                                                         std::string_view body);

std::string encode_config(const plugin_host::ImageConfigInfo& config);
std::optional<plugin_host::ImageConfigInfo> decode_config(std::string_view body);

}  // namespace iu::registry
