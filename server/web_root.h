/// @file web_root.h
/// Where the search page is. A configured directory is used as given; without one the server
/// looks where a checkout, a build tree and an installation put the page, so that it serves
/// its page whatever the working directory.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "result.h"

namespace clippings::http {

/// The file that makes a directory the search page.
inline constexpr const char* kWebIndex = "index.html";

/// Where the page may be when server.web_root is not set, in the order they are tried:
/// ./web, <bindir>/../share/clippings/web, the source tree's web/ when `executable` lies in
/// `build_dir` (a build tree), /usr/share/clippings/web.
std::vector<std::filesystem::path> web_root_candidates(const std::filesystem::path& executable,
                                                       const std::filesystem::path& build_dir,
                                                       const std::filesystem::path& source_dir);

/// The directory to serve: `configured` when it is not empty, else the first candidate. Either
/// way it must hold index.html; the error (status 2) names every directory looked at.
Result<std::filesystem::path> resolve_web_root(const std::string& configured,
                                               const std::vector<std::filesystem::path>& candidates);

}  // namespace clippings::http
