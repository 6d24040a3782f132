/// @file json_reader.cpp
/// JSON Lines exports: one article object per line, field names from config.fields.
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <utf8.h>

#include "dates.h"
#include "ingest/ingest.h"
#include "ingest/nesting.h"

namespace clippings {
namespace {

using nlohmann::json;

/// Numeric timestamps above this are milliseconds (this is 5138 AD in seconds).
constexpr double kMillisecondsThreshold = 1e11;

/// An author entry: a string, or an object with a name.
std::string person_name(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object()) {
    auto name = value.find("name");
    if (name != value.end() && name->is_string()) return name->get<std::string>();
  }
  return "";
}

/// A field value as text: strings as they are, numbers printed, arrays of names joined.
std::string as_text(const json& value) {
  switch (value.type()) {
    case json::value_t::string:
      return value.get<std::string>();
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return value.dump();
    case json::value_t::array: {
      std::string joined;
      for (const auto& item : value) {
        std::string name = person_name(item);
        if (name.empty()) continue;
        if (!joined.empty()) joined += ", ";
        joined += name;
      }
      return joined;
    }
    case json::value_t::object:
      return person_name(value);
    default:
      return "";
  }
}

/// A date field: ISO text as it is (finish() keeps the day), Unix time as its UTC day. A
/// number out of range stays a number, which finish() reports as not a date.
std::string as_date(const json& value) {
  if (!value.is_number()) return as_text(value);
  double seconds = value.get<double>();
  if (std::abs(seconds) > kMillisecondsThreshold) seconds /= 1000;
  return day_of_unix_time(seconds).value_or(value.dump());
}

/// The body: a string, or an array of paragraphs.
std::string as_body(const json& value) {
  if (!value.is_array()) return value.is_string() ? value.get<std::string>() : "";
  std::string body;
  for (const auto& item : value) {
    if (!item.is_string()) continue;
    if (!body.empty()) body += "\n\n";
    body += item.get<std::string>();
  }
  return body;
}

enum class Kind { kPlain, kDate, kBody };

/// The first listed name whose value is present and not empty.
std::string pick(const json& object, const std::vector<std::string>& names,
                 Kind kind = Kind::kPlain) {
  for (const auto& name : names) {
    auto it = object.find(name);
    if (it == object.end() || it->is_null()) continue;
    std::string value = kind == Kind::kDate   ? as_date(*it)
                        : kind == Kind::kBody ? as_body(*it)
                                              : as_text(*it);
    if (value.find_first_not_of(" \t\r\n") != std::string::npos) return value;
  }
  return "";
}

std::string names_list(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
  return list;
}

const char* type_name(const json& value) { return value.type_name(); }

}  // namespace

Result<Article> Extractor::from_json_line(std::string_view line, const Origin& origin) const {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
    return Error{400, "invalid_json", "blank line: expected a JSON object", ""};
  }
  // The parser rejects ill-formed UTF-8, so it is repaired first (rarely needed: checked first).
  std::string repaired;
  if (utf8::find_invalid(line.begin(), line.end()) != line.end()) {
    repaired = repair_utf8(line);
    line = repaired;
  }
  if (json_deeper_than(line, kMaxJsonDepth)) {
    return Error{400, "invalid_json",
                 fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth), ""};
  }
  json object;
  try {
    object = json::parse(line);
  } catch (const json::exception& e) {
    // A syntax error, or a number beyond a double (out_of_range: "1e3000"). e.what() starts
    // with "[json.exception.parse_error.101] parse error at line 1, ...".
    std::string what = e.what();
    if (auto pos = what.find("] "); pos != std::string::npos) what.erase(0, pos + 2);
    return Error{400, "invalid_json", "invalid JSON: " + what, ""};
  }
  if (!object.is_object()) {
    return Error{400, "invalid_json",
                 fmt::format("expected a JSON object per line, found {}", type_name(object)), ""};
  }
  const FieldMap& fields = config_.fields;
  std::string text = pick(object, fields.text, Kind::kBody);
  Metadata meta;
  meta.title = pick(object, fields.title);
  // A headline without a body (wire copy often is one) is an article: its title is its text.
  if (text.empty() && meta.title.empty()) {
    return Error{422, "missing_text",
                 fmt::format("no article text or title: none of the fields {} nor {} has a value",
                             names_list(fields.text), names_list(fields.title)),
                 ""};
  }
  meta.id = pick(object, fields.id);
  meta.url = pick(object, fields.url);
  meta.outlet = pick(object, fields.outlet);
  meta.date = pick(object, fields.date, Kind::kDate);
  meta.author = pick(object, fields.author);
  meta.lang = pick(object, fields.lang);
  return finish(std::move(meta), std::move(text), origin);
}

}  // namespace clippings
