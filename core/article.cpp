/// @file article.cpp
#include "article.h"

#include <array>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

namespace clippings {
namespace {

/// First byte of the stored data: a JSON object (the format before this one) starts with '{'.
constexpr char kStoredFormat = '\x01';

/// The stored fields, in the order they are written, with their keys in the JSON object of
/// older databases.
struct StoredField {
  const char* json_key;
  std::string Article::*member;
};
constexpr std::array<StoredField, 10> kStoredFields{{
    {"id", &Article::id},
    {"title", &Article::title},
    {"outlet", &Article::outlet},
    {"date", &Article::date},
    {"url", &Article::url},
    {"author", &Article::author},
    {"lang", &Article::lang},
    {"text", &Article::text},
    {"source", &Article::source},
    {"source_file", &Article::source_file},
}};

void append_length(std::string& out, std::size_t length) {
  // Seven bits per byte, low bits first; the high bit says another byte follows.
  while (length >= 0x80) {
    out.push_back(static_cast<char>((length & 0x7f) | 0x80));
    length >>= 7;
  }
  out.push_back(static_cast<char>(length));
}

[[noreturn]] void corrupt(const char* what) {
  throw std::runtime_error(std::string{"corrupt document data: "} + what);
}

std::size_t read_length(std::string_view& in) {
  std::size_t length = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in.empty()) corrupt("a field length is cut short");
    const auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    length |= static_cast<std::size_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return length;
  }
  corrupt("a field length is too long");
}

/// The JSON object of older databases; a missing key is an empty field.
Article from_json_object(const std::string& data) {
  const auto object = nlohmann::json::parse(data);
  Article article;
  for (const auto& [key, member] : kStoredFields) article.*member = object.value(key, std::string{});
  return article;
}

}  // namespace

std::string to_stored_data(const Article& article) {
  std::size_t bytes = 1;
  for (const auto& field : kStoredFields) bytes += (article.*field.member).size() + 3;
  std::string out;
  out.reserve(bytes);
  out.push_back(kStoredFormat);
  for (const auto& field : kStoredFields) {
    append_length(out, (article.*field.member).size());
    out += article.*field.member;
  }
  return out;
}

Article from_stored_data(const std::string& data) {
  // Databases written before the length-prefixed format stored a JSON object.
  if (data.starts_with('{')) return from_json_object(data);
  std::string_view in{data};
  if (in.empty() || in.front() != kStoredFormat) corrupt("unknown format");
  in.remove_prefix(1);
  Article article;
  for (const auto& field : kStoredFields) {
    const std::size_t length = read_length(in);
    if (length > in.size()) corrupt("a field runs past the end");
    (article.*field.member).assign(in.substr(0, length));
    in.remove_prefix(length);
  }
  if (!in.empty()) corrupt("bytes after the last field");
  return article;
}

}  // namespace clippings
