/// @file reply.cpp
#include "reply.h"

#include <nlohmann/json.hpp>

namespace clippings::http {

std::string dump_json(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Reply json_reply(const nlohmann::ordered_json& body, int status) {
  return Reply{status, kJsonType, dump_json(body), {}};
}

nlohmann::ordered_json error_body(const Error& error) {
  nlohmann::ordered_json detail = {
      {"status", error.status},
      {"code", error.code.empty() ? code_for_status(error.status) : error.code},
      {"message", error.message},
      {"param", nullptr},
  };
  if (!error.param.empty()) detail["param"] = error.param;
  if (error.position) detail["position"] = *error.position;
  return {{"error", detail}};
}

Reply error_reply(const Error& error) {
  return json_reply(error_body(error), error.status);
}

std::string code_for_status(int status) {
  switch (status) {
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 408: return "request_timeout";
    case 413: return "payload_too_large";
    case 414: return "uri_too_long";
    case 416: return "range_not_satisfiable";
    case 431: return "headers_too_large";
    case 503: return "not_ready";
    default: return status >= 500 ? "internal_error" : "bad_request";
  }
}

std::string status_text(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 416: return "Range Not Satisfiable";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return status >= 500 ? "Internal Server Error" : "Bad Request";
  }
}

}  // namespace clippings::http
