/// @file atom_feed.cpp
#include "atom_feed.h"

#include <algorithm>

#include <fmt/format.h>

#include "params.h"
#include "search/hit_stream.h"

namespace clippings::http {
namespace {

/// Atom requires `updated`; an undated article gets a fixed, obviously unknown instant rather
/// than the request time, which would make it look changed on every poll.
constexpr const char* kUnknownTime = "1970-01-01T00:00:00Z";

std::string day_time(const std::string& date) {
  return date.empty() ? kUnknownTime : date + "T00:00:00Z";
}

/// When the entry last changed for a follower: when it was first indexed, else its date.
std::string entry_updated(const StreamedHit& hit) {
  return hit.indexed.empty() ? day_time(hit.article.date) : hit.indexed;
}

std::string entry_xml(const StreamedHit& hit, const FeedLinks& links) {
  const Article& a = hit.article;
  const std::string article_url = links.base + "/api/articles/" + percent_encode(a.id);
  const std::string id = a.url.empty() ? "urn:clippings:article:" + percent_encode(a.id) : a.url;
  const std::string author = a.author.empty() ? a.outlet : a.author;
  std::string out = "  <entry>\n";
  out += fmt::format("    <id>{}</id>\n", escape_xml(id));
  out += fmt::format("    <title type=\"text\">{}</title>\n", escape_xml(a.title));
  out += fmt::format("    <link rel=\"alternate\" href=\"{}\"/>\n",
                     escape_xml(a.url.empty() ? article_url : a.url));
  out += fmt::format("    <link rel=\"related\" type=\"application/json\" href=\"{}\"/>\n",
                     escape_xml(article_url));
  out += fmt::format("    <updated>{}</updated>\n", entry_updated(hit));
  if (!a.date.empty()) out += fmt::format("    <published>{}</published>\n", day_time(a.date));
  if (!author.empty()) {
    out += fmt::format("    <author><name>{}</name></author>\n", escape_xml(author));
  }
  if (!a.outlet.empty()) {
    out += fmt::format("    <category term=\"{}\"/>\n", escape_xml(a.outlet));
  }
  out += fmt::format("    <summary type=\"text\">{}</summary>\n",
                     escape_xml(snippet_text(hit.snippet_html)));
  out += "  </entry>\n";
  return out;
}

}  // namespace

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += c;
    }
  }
  return out;
}

std::string snippet_text(std::string_view html) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'},  {"&lt;", '<'},   {"&gt;", '>'},   {"&quot;", '"'},
      {"&#39;", '\''}, {"&#x27;", '\''}, {"&apos;", '\''}, {"&#34;", '"'}};
  std::string out;
  for (std::size_t i = 0; i < html.size(); ++i) {
    if (html[i] == '<') {  // only our own <mark> and </mark>: text is escaped
      const auto close = html.find('>', i);
      if (close == std::string_view::npos) break;
      i = close;
      continue;
    }
    bool decoded = false;
    if (html[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (html.substr(i, entity.size()) == entity) {
          out += c;
          i += entity.size() - 1;
          decoded = true;
          break;
        }
      }
    }
    if (!decoded) out += html[i];
  }
  return out;
}

Reply search_atom(Searcher& searcher, const SearchRequest& request, const FeedLinks& links) {
  SearchRequest latest = request;
  latest.sort = SortOrder::kIndexed;
  latest.facets = false;
  latest.snippets = true;
  const auto first = static_cast<Xapian::doccount>(request.page - 1) * static_cast<Xapian::doccount>(request.size);
  auto stream = searcher.stream(latest, first, static_cast<Xapian::doccount>(request.size));
  if (!stream) return error_reply(stream.error());
  std::string entries;
  std::string updated;
  StreamedHit hit;
  while (stream->next(hit)) {
    entries += entry_xml(hit, links);
    if (const std::string time = entry_updated(hit); time != kUnknownTime) updated = std::max(updated, time);
  }
  const std::string title =
      request.q.empty() ? "Clippings: latest articles" : "Clippings: " + request.q;
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  out += "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  out += fmt::format("  <id>{}</id>\n", escape_xml(links.self));
  out += fmt::format("  <title type=\"text\">{}</title>\n", escape_xml(title));
  out += fmt::format("  <updated>{}</updated>\n", updated.empty() ? links.now : updated);
  out += fmt::format("  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
                     escape_xml(links.self));
  out += fmt::format("  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                     escape_xml(links.page));
  out += "  <author><name>Clippings</name></author>\n";
  out += "  <generator>Clippings</generator>\n";
  out += entries;
  out += "</feed>\n";
  return Reply{200, "application/atom+xml; charset=utf-8", std::move(out), {}};
}

}  // namespace clippings::http
