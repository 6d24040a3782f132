/// @file request_framing.cpp
#include "request_framing.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include <fmt/format.h>

namespace clippings::http {
namespace {

Framing frame_error(int status, std::string code, std::string message) {
  return {Framing::Kind::kError, 0, status, std::move(code), std::move(message)};
}

/// The value of Content-Length in `head`, 0 without one, nullopt when it is not one number.
std::optional<std::size_t> content_length(std::string_view head) {
  std::optional<std::size_t> found;
  std::size_t at = head.find('\n');
  while (at != std::string_view::npos && at + 1 < head.size()) {
    const std::size_t start = at + 1;
    const std::size_t end = std::min(head.find('\n', start), head.size());
    std::string_view line = head.substr(start, end - start);
    constexpr std::string_view kName = "content-length:";
    if (line.size() > kName.size() &&
        std::equal(kName.begin(), kName.end(), line.begin(),
                   [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); })) {
      std::string_view value = line.substr(kName.size());
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
      while (!value.empty() && (value.back() == '\r' || value.back() == ' ' || value.back() == '\t')) {
        value.remove_suffix(1);
      }
      std::size_t length = 0;
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
      if (value.empty() || ec != std::errc{} || ptr != value.data() + value.size()) return std::nullopt;
      if (found && *found != length) return std::nullopt;
      found = length;
    }
    at = end;
  }
  return found.value_or(0);
}

}  // namespace

Framing frame_request(std::string_view in, std::size_t max_bytes) {
  const std::size_t first_line = in.find('\n');
  const std::size_t line_limit = std::min(kMaxLineBytes, max_bytes);
  if ((first_line == std::string_view::npos ? in.size() : first_line) > line_limit) {
    return frame_error(414, "uri_too_long", fmt::format("the request line exceeds {} bytes", line_limit));
  }
  std::size_t head_end = std::string_view::npos;
  for (std::size_t at = first_line; at != std::string_view::npos && head_end == std::string_view::npos;) {
    const std::size_t next = in.find('\n', at + 1);
    const std::size_t line = (next == std::string_view::npos ? in.size() : next) - at - 1;
    if (line > kMaxLineBytes) {
      return frame_error(431, "headers_too_large",
                         fmt::format("a header line exceeds {} bytes", kMaxLineBytes));
    }
    if (next != std::string_view::npos && (line == 0 || (line == 1 && in[at + 1] == '\r'))) {
      head_end = next + 1;
    }
    at = next;
  }
  if (head_end == std::string_view::npos) {
    if (in.size() > max_bytes) {
      return frame_error(431, "headers_too_large",
                         fmt::format("the request line and headers exceed {} bytes", max_bytes));
    }
    return {};
  }
  const auto body = content_length(in.substr(0, head_end));
  if (!body) return frame_error(400, "bad_request", "Content-Length is not one whole number");
  if (head_end > max_bytes) {
    return frame_error(431, "headers_too_large",
                       fmt::format("the request line and headers exceed {} bytes", max_bytes));
  }
  if (head_end + *body > max_bytes) {
    return frame_error(413, "payload_too_large", fmt::format("the request exceeds {} bytes", max_bytes));
  }
  if (in.size() < head_end + *body) return {};
  return {Framing::Kind::kComplete, head_end + *body, 0, {}, {}};
}

}  // namespace clippings::http
