/// @file request_framing.h
/// Where a request ends in the bytes received so far, and whether it keeps to the size limits:
/// what the connection layer needs to know before it hands a request to cpp-httplib's parser.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace clippings::http {

/// cpp-httplib's parser refuses longer request lines (414) and header lines (400): the same
/// limits are checked first, so the answer is the same JSON error whatever the settings.
inline constexpr std::size_t kMaxLineBytes = 8192;

/// What a buffer holds: a whole request, not yet, or an error to answer.
struct Framing {
  enum class Kind { kIncomplete, kComplete, kError } kind = Kind::kIncomplete;
  std::size_t length = 0;  ///< with kComplete: bytes of the request (head and body)
  int status = 0;          ///< with kError: 400, 413, 414 or 431
  std::string code, message;
};

/// Whether `in` starts with a whole request (line, headers, and a body of its Content-Length)
/// of at most `max_bytes`. Errors: a request line over min(8192, max_bytes) bytes is 414, a
/// header line over 8192 bytes or a head over `max_bytes` 431, a body taking the request over
/// `max_bytes` 413, a Content-Length that is not one number 400. A chunked body is left to the
/// parser, which reads it under the request's deadline.
Framing frame_request(std::string_view in, std::size_t max_bytes);

}  // namespace clippings::http
