/// @file static_files.cpp
#include "static_files.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "ascii.h"

namespace clippings::http {
namespace {

namespace fs = std::filesystem;

/// Larger files are not part of a search page; refusing them bounds memory per request.
constexpr std::uintmax_t kMaxStaticBytes = 16u << 20;

bool inside(const fs::path& root, const fs::path& path) {
  const auto [root_end, ignored] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

Error missing(const std::string& url_path) {
  return not_found("no file at " + url_path);
}

}  // namespace

std::string content_type_for(const fs::path& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  };
  const std::string ext = ascii_lowered(path.extension().string());
  const auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

Result<fs::path> resolve_static(const fs::path& root, const std::string& url_path) {
  if (url_path.empty() || url_path.front() != '/' ||
      url_path.find_first_of(std::string{"\\\0", 2}) != std::string::npos) {
    return bad_request("invalid_path", "the path is not a valid file path");
  }
  fs::path relative;
  std::stringstream segments{url_path.substr(1)};
  for (std::string segment; std::getline(segments, segment, '/');) {
    if (segment.empty()) continue;
    if (segment == "." || segment == "..") {
      return bad_request("invalid_path", "the path may not contain '.' or '..' segments");
    }
    if (segment.front() == '.') return missing(url_path);  // .git, .env and other hidden files
    relative /= segment;
  }
  fs::path candidate = root / relative;
  std::error_code ec;
  if (fs::is_directory(candidate, ec)) candidate /= "index.html";
  const fs::path real = fs::canonical(candidate, ec);
  if (ec || !inside(root, real) || !fs::is_regular_file(real, ec)) return missing(url_path);
  return real;
}

Reply get_static(const fs::path& root, const std::string& url_path) {
  auto file = resolve_static(root, url_path);
  if (!file) return error_reply(file.error());
  std::error_code ec;
  const auto size = fs::file_size(*file, ec);
  if (ec || size > kMaxStaticBytes) return error_reply(missing(url_path));
  std::ifstream in{*file, std::ios::binary};
  std::stringstream body;
  body << in.rdbuf();
  if (!in) return error_reply(missing(url_path));
  const std::string type = content_type_for(*file);
  // The page itself is revalidated each time so a new version shows at once; its assets may be
  // cached briefly.
  const bool html = type.starts_with("text/html");
  return Reply{200, type, body.str(),
               {{"Cache-Control", html ? "no-cache" : "public, max-age=300"}}};
}

}  // namespace clippings::http
