/// @file logging.cpp
#include "logging.h"

#include <memory>

#include <nlohmann/json.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace clippings {
namespace {

/// %* in a pattern: the message as a JSON string literal, quotes included.
class JsonMessageFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string text = nlohmann::json(std::string{msg.payload.data(), msg.payload.size()})
                                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

/// The time stamp of JSON log lines.
constexpr const char* kJsonTime = "%Y-%m-%dT%H:%M:%S.%e%z";

}  // namespace

std::string json_log_line(std::string_view level, std::string_view message,
                          const nlohmann::json& fields) {
  // The time written by the same formatter as the logger's, so that the two cannot differ.
  spdlog::pattern_formatter formatter{kJsonTime, spdlog::pattern_time_type::local, ""};
  spdlog::memory_buf_t time;
  formatter.format(spdlog::details::log_msg{"", spdlog::level::info, ""}, time);
  nlohmann::ordered_json line = {{"time", std::string{time.data(), time.size()}},
                                 {"level", level},
                                 {"message", message}};
  for (const auto& [key, value] : fields.items()) line[key] = value;
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void setup_logging(const std::string& level, const std::string& format) {
  std::shared_ptr<spdlog::logger> logger;
  if (format == "json") {
    logger = std::make_shared<spdlog::logger>("clippings",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(
        std::string{R"({"time":")"} + kJsonTime + R"(","level":"%l","message":%*})");
    logger->set_formatter(std::move(formatter));
  } else {
    logger = std::make_shared<spdlog::logger>(
        "clippings", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  }
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace clippings
