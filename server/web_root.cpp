/// @file web_root.cpp
#include "web_root.h"

#include <algorithm>

#include <fmt/format.h>

namespace clippings::http {

namespace fs = std::filesystem;

namespace {

bool holds_page(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / kWebIndex, ec);
}

/// Whether `path` is `dir` or lies below it (both made absolute, symlinks resolved).
bool lies_in(const fs::path& path, const fs::path& dir) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(path, ec);
  const fs::path d = fs::weakly_canonical(dir, ec);
  if (ec || d.empty()) return false;
  const auto [mismatch, unused] = std::mismatch(d.begin(), d.end(), p.begin(), p.end());
  return mismatch == d.end();
}

fs::path absolute_or_same(const fs::path& path) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  return ec ? path : absolute.lexically_normal();
}

}  // namespace

std::vector<fs::path> web_root_candidates(const fs::path& executable, const fs::path& build_dir,
                                          const fs::path& source_dir) {
  std::vector<fs::path> candidates{absolute_or_same("web")};
  if (!executable.empty()) {
    candidates.push_back(
        (executable.parent_path().parent_path() / "share" / "clippings" / "web").lexically_normal());
    if (!build_dir.empty() && lies_in(executable, build_dir)) candidates.push_back(source_dir / "web");
  }
  candidates.emplace_back("/usr/share/clippings/web");
  return candidates;
}

Result<fs::path> resolve_web_root(const std::string& configured,
                                  const std::vector<fs::path>& candidates) {
  if (!configured.empty()) {
    const fs::path dir = absolute_or_same(configured);
    if (holds_page(dir)) return dir;
    return Error{2, "no_web_root",
                 fmt::format("server.web_root: no search page at {} (no {} there)", dir.string(),
                             kWebIndex),
                 "server.web_root"};
  }
  std::string looked;
  for (const auto& dir : candidates) {
    if (holds_page(dir)) return dir;
    looked += (looked.empty() ? "" : ", ") + dir.string();
  }
  return Error{2, "no_web_root",
               fmt::format("no search page found: looked for {} in {}; set server.web_root or "
                           "--web to its directory",
                           kWebIndex, looked),
               "server.web_root"};
}

}  // namespace clippings::http
