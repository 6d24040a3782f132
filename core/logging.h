/// @file logging.h
/// The process-wide log: level and format (text lines, or one JSON object per line).
#pragma once

#include <string>

namespace clippings {

/// Sends the default spdlog logger to stderr at `level` ("trace".."off") in `format` ("text" or
/// "json"). JSON lines are {"time","level","message"} with the message properly escaped.
void setup_logging(const std::string& level, const std::string& format);

}  // namespace clippings
