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

/// The stored fields, in the order they are written.
constexpr std::array<std::string Article::*, 10> kStoredFields{
    &Article::id,  &Article::title, &Article::outlet, &Article::date,   &Article::url,
    &Article::author, &Article::lang, &Article::text, &Article::source, &Article::source_file};

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

}  // namespace

/// The JSON object of older databases; a missing key is an empty field.
void from_json(const nlohmann::json& j, Article& a) {
  auto get = [&j](const char* key) { return j.value(key, std::string{}); };
  a.id = get("id");
  a.title = get("title");
  a.outlet = get("outlet");
  a.date = get("date");
  a.url = get("url");
  a.author = get("author");
  a.lang = get("lang");
  a.text = get("text");
  a.source = get("source");
  a.source_file = get("source_file");
}

std::string to_stored_data(const Article& article) {
  std::size_t bytes = 1;
  for (auto field : kStoredFields) bytes += (article.*field).size() + 3;
  std::string out;
  out.reserve(bytes);
  out.push_back(kStoredFormat);
  for (auto field : kStoredFields) {
    append_length(out, (article.*field).size());
    out += article.*field;
  }
  return out;
}

Article from_stored_data(const std::string& data) {
  // Databases written before the length-prefixed format stored a JSON object.
  if (data.starts_with('{')) return nlohmann::json::parse(data).get<Article>();
  std::string_view in{data};
  if (in.empty() || in.front() != kStoredFormat) corrupt("unknown format");
  in.remove_prefix(1);
  Article article;
  for (auto field : kStoredFields) {
    const std::size_t length = read_length(in);
    if (length > in.size()) corrupt("a field runs past the end");
    (article.*field).assign(in.substr(0, length));
    in.remove_prefix(length);
  }
  if (!in.empty()) corrupt("bytes after the last field");
  return article;
}

}  // namespace clippings
