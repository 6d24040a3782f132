/// @file article.cpp
#include "article.h"

#include <nlohmann/json.hpp>

namespace clippings {

void to_json(nlohmann::json& j, const Article& a) {
  j = nlohmann::json{{"id", a.id},   {"title", a.title}, {"outlet", a.outlet},
                     {"date", a.date}, {"url", a.url},   {"author", a.author},
                     {"lang", a.lang}, {"text", a.text}, {"source", a.source},
                     {"source_file", a.source_file}};
}

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

std::string to_stored_data(const Article& article) { return nlohmann::json(article).dump(); }

Article from_stored_data(const std::string& data) {
  return nlohmann::json::parse(data).get<Article>();
}

}  // namespace clippings
