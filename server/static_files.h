/// @file static_files.h
/// Serving the search page (web/): only regular files below the root, whatever the request says.
#pragma once

#include <filesystem>
#include <string>

#include "reply.h"
#include "result.h"

namespace clippings::http {

/// The media type for a file name's extension; application/octet-stream when unknown.
std::string content_type_for(const std::filesystem::path& path);

/// The file a decoded URL path names below `root` (canonical). "/" and directories give their
/// index.html. Refused: "." or ".." segments, backslashes and NUL (400); hidden names, missing
/// files and anything whose real path (symlinks resolved) leaves the root (404).
Result<std::filesystem::path> resolve_static(const std::filesystem::path& root,
                                             const std::string& url_path);

/// The file's bytes with its content type and cache policy, or the error as JSON.
Reply get_static(const std::filesystem::path& root, const std::string& url_path);

}  // namespace clippings::http
