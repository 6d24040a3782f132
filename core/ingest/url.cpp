/// @file url.cpp
/// URL handling without a URL library: only the parts ids, outlets and dates need.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "ascii.h"
#include "dates.h"
#include "ingest/ingest.h"
#include "ingest/text.h"

namespace clippings {
namespace {

/// How many leading non-empty lines of a text may hold its date.
constexpr std::size_t kDateLines = 5;

struct UrlParts {
  std::string_view scheme;     ///< without "://"; empty when the URL has none
  std::string_view authority;  ///< userinfo@host:port
  std::string_view path;       ///< from the first '/' up to '?' or '#'
  std::string_view query;      ///< without '?'
};

/// The length of the scheme when `url` starts with one and "://" (RFC 3986: a letter, then
/// letters, digits, '+', '-' and '.'), else 0: a "://" in the query of a URL without a scheme
/// ("example.com/a?from=https://other.example/") is not one.
std::size_t scheme_length(std::string_view url) {
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (url.empty() || !letter(url.front())) return 0;
  std::size_t i = 1;
  while (i < url.size() && (letter(url[i]) || (url[i] >= '0' && url[i] <= '9') || url[i] == '+' ||
                            url[i] == '-' || url[i] == '.')) {
    ++i;
  }
  return url.substr(i, 3) == "://" ? i : 0;
}

UrlParts split_url(std::string_view url) {
  UrlParts parts;
  if (auto hash = url.find('#'); hash != std::string_view::npos) url = url.substr(0, hash);
  if (const std::size_t length = scheme_length(url); length > 0) {
    parts.scheme = url.substr(0, length);
    url.remove_prefix(length + 3);
  } else if (url.substr(0, 2) == "//") {
    url.remove_prefix(2);
  }
  const std::size_t end_host = std::min(url.find_first_of("/?"), url.size());
  parts.authority = url.substr(0, end_host);
  url.remove_prefix(end_host);
  const std::size_t question = std::min(url.find('?'), url.size());
  parts.path = url.substr(0, question);
  if (question < url.size()) parts.query = url.substr(question + 1);
  return parts;
}

std::string host_of(std::string_view authority) {
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (auto colon = authority.rfind(':');
      colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    authority = authority.substr(0, colon);
  }
  std::string host = ascii_lowered(authority);
  if (host.rfind("www.", 0) == 0) host.erase(0, 4);
  while (!host.empty() && host.back() == '.') host.pop_back();
  return host;
}

/// Tracking parameters that do not change the page.
bool is_tracking_param(std::string_view param) {
  const std::string name = ascii_lowered(param.substr(0, param.find('=')));
  return name.rfind("utm_", 0) == 0 || name == "fbclid" || name == "gclid";
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// "/2022/11/25/" or "/2022-11-25/" in a URL path.
std::string date_in_path(std::string_view path) {
  std::vector<std::string_view> segments;
  for (std::size_t start = 0; start <= path.size();) {
    std::size_t end = std::min(path.find('/', start), path.size());
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (segments[i].size() == 10) {
      if (auto day = normalize_date(segments[i])) return *day;
    }
    if (i + 2 < segments.size() && segments[i].size() == 4 && all_digits(segments[i]) &&
        segments[i + 1].size() == 2 && all_digits(segments[i + 1]) &&
        segments[i + 2].size() == 2 && all_digits(segments[i + 2])) {
      const std::string iso = std::string{segments[i]} + "-" + std::string{segments[i + 1]} + "-" +
                              std::string{segments[i + 2]};
      if (auto day = normalize_date(iso)) return *day;
    }
  }
  return "";
}

}  // namespace

std::string url_host(std::string_view url) {
  const UrlParts parts = split_url(url);
  if (parts.scheme.empty() && parts.authority.find('.') == std::string_view::npos) return "";
  if (parts.authority.find(' ') != std::string_view::npos) return "";
  return host_of(parts.authority);
}

std::string normalize_url(std::string_view url) {
  while (!url.empty() && std::isspace(static_cast<unsigned char>(url.front()))) url.remove_prefix(1);
  while (!url.empty() && std::isspace(static_cast<unsigned char>(url.back()))) url.remove_suffix(1);
  const UrlParts parts = split_url(url);
  std::string out;
  if (!parts.scheme.empty()) out = ascii_lowered(parts.scheme) + "://";
  std::string_view authority = parts.authority;
  // An empty port says nothing; without a scheme, "x:" + "//..." would read as one next time.
  while (!authority.empty() && authority.back() == ':') authority.remove_suffix(1);
  std::string userinfo;
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    userinfo = std::string{authority.substr(0, at + 1)};
    authority.remove_prefix(at + 1);
  }
  std::string host = ascii_lowered(authority);
  while (host.rfind("www.", 0) == 0) host.erase(0, 4);
  out += userinfo + host;
  std::string_view path = parts.path;
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  // Without a host, "//x" would be read as the host x next time.
  if (host.empty() && userinfo.empty()) {
    while (path.size() > 1 && path[1] == '/') path.remove_prefix(1);
  }
  out += path.empty() ? "/" : std::string{path};
  std::string query;
  for (std::size_t start = 0; start < parts.query.size();) {
    std::size_t end = std::min(parts.query.find('&', start), parts.query.size());
    std::string_view param = parts.query.substr(start, end - start);
    if (!param.empty() && !is_tracking_param(param)) {
      query += (query.empty() ? "?" : "&") + std::string{param};
    }
    start = end + 1;
  }
  out += query;
  // Spaces and control characters are not part of a URL: escaped, as a browser sends them, so
  // that a second normalisation has nothing left to trim (in lower case, which a host keeps).
  std::string escaped;
  escaped.reserve(out.size());
  for (const char c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) {
      escaped += fmt::format("%{:02x}", byte);
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::string outlet_from_url(std::string_view url,
                            const std::map<std::string, std::string>& outlets) {
  const std::string host = url_host(url);
  if (host.empty()) return "";
  // The host itself, then each parent domain that still has a dot: a.b.example.com,
  // b.example.com, example.com.
  for (std::string_view candidate = host;;) {
    if (auto it = outlets.find(std::string{candidate}); it != outlets.end()) return it->second;
    const std::size_t dot = candidate.find('.');
    if (dot == std::string_view::npos) break;
    candidate.remove_prefix(dot + 1);
    if (candidate.find('.') == std::string_view::npos) break;
  }
  return host;
}

std::string find_date(std::string_view body, std::string_view url) {
  std::size_t seen = 0;
  for (std::size_t start = 0; start < body.size() && seen < kDateLines;) {
    std::size_t end = std::min(body.find('\n', start), body.size());
    const std::string_view line = body.substr(start, end - start);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      ++seen;
      if (auto day = text::iso_date_in(line)) return *day;
    }
    start = end + 1;
  }
  return date_in_path(split_url(url).path);
}

}  // namespace clippings
