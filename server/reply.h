/// @file reply.h
/// What a handler returns: status, content type, body and extra headers, independent of the
/// HTTP library so handlers can be tested without a socket.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "result.h"

namespace clippings::http {

inline constexpr const char* kJsonType = "application/json; charset=utf-8";

struct Reply {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// 200 (or `status`) with `body` serialised; invalid UTF-8 in strings is replaced, never thrown.
Reply json_reply(const nlohmann::ordered_json& body, int status = 200);

/// {"error": {"status", "code", "message", "param"}}; param is null when the error names none.
nlohmann::ordered_json error_body(const Error& error);
Reply error_reply(const Error& error);

/// The standard reason phrase's machine code for a status without a more specific one:
/// 404 -> "not_found", 414 -> "uri_too_long", anything else 4xx -> "bad_request".
std::string code_for_status(int status);

/// The standard reason phrase of a status ("Not Found"), for errors the library raises.
std::string status_text(int status);

/// Serialises JSON the same way everywhere (UTF-8 errors replaced by U+FFFD).
std::string dump_json(const nlohmann::ordered_json& value);

}  // namespace clippings::http
