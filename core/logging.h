/// @file logging.h
/// The process-wide log: level and format (text lines, or one JSON object per line).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace clippings {

/// Sends the default spdlog logger to stderr at `level` ("trace".."off") in `format` ("text" or
/// "json"). JSON lines are {"time","level","message"} with the message properly escaped.
void setup_logging(const std::string& level, const std::string& format);

/// One line shaped like the JSON log's, with `fields` after the message: for what a program
/// prints outside the logger (a result on stdout, a fatal error) when the log format is json.
std::string json_log_line(std::string_view level, std::string_view message,
                          const nlohmann::json& fields);

}  // namespace clippings
