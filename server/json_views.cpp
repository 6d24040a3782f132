/// @file json_views.cpp
#include "json_views.h"

#include <cmath>
#include <iterator>
#include <string_view>
#include <utility>

#include <fmt/compile.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <utf8.h>

#include "reply.h"
#include "text/languages.h"

namespace clippings::http {

std::string direction(const std::string& lang) {
  return !lang.empty() && text::is_right_to_left(lang) ? "rtl" : "ltr";
}

nlohmann::ordered_json or_null(const std::string& text) {
  return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
}

namespace {

/// Appends `text` as a JSON string, byte for byte what nlohmann's serializer writes for valid
/// UTF-8. The search body is written this way, not built as json values and then dumped: the
/// serializer decodes every byte of the ~14 KB of snippets, which took a tenth of a millisecond
/// per request. Invalid UTF-8 should not come from the index (the indexer repairs its input) or
/// from queries (checked), but if it did, the serializer replaces it as everywhere else in the API.
void append_string(fmt::memory_buffer& out, std::string_view text) {
  if (!utf8::is_valid(text.begin(), text.end())) {
    const std::string replaced = dump_json(std::string{text});
    out.append(replaced.data(), replaced.data() + replaced.size());
    return;
  }
  out.push_back('"');
  const char* run = text.data();  // start of the bytes not yet appended
  for (const char& c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
    out.append(run, &c);
    run = &c + 1;
    switch (byte) {
      case '"': out.append(std::string_view{"\\\""}); break;
      case '\\': out.append(std::string_view{"\\\\"}); break;
      case '\n': out.append(std::string_view{"\\n"}); break;
      case '\r': out.append(std::string_view{"\\r"}); break;
      case '\t': out.append(std::string_view{"\\t"}); break;
      case '\b': out.append(std::string_view{"\\b"}); break;
      case '\f': out.append(std::string_view{"\\f"}); break;
      default: fmt::format_to(std::back_inserter(out), "\\u{:04x}", byte);
    }
  }
  out.append(run, text.data() + text.size());
  out.push_back('"');
}

/// A string, or null for "" (the API's "not known").
void append_string_or_null(fmt::memory_buffer& out, std::string_view text) {
  if (text.empty()) {
    out.append(std::string_view{"null"});
  } else {
    append_string(out, text);
  }
}

void append_number(fmt::memory_buffer& out, double value) {
  // nlohmann's number format (and null for NaN), as the rest of the API writes numbers.
  const std::string text = dump_json(nlohmann::ordered_json(value));
  out.append(text.data(), text.data() + text.size());
}

/// `{"id":..,"outlet":..,"date":..,"url":..}`, unknown date and url as null.
void append_copy(fmt::memory_buffer& out, const CopyRef& copy) {
  out.append(std::string_view{R"({"id":)"});
  append_string(out, copy.id);
  out.append(std::string_view{R"(,"outlet":)"});
  append_string(out, copy.outlet);
  out.append(std::string_view{R"(,"date":)"});
  append_string_or_null(out, copy.date);
  out.append(std::string_view{R"(,"url":)"});
  append_string_or_null(out, copy.url);
  out.push_back('}');
}

/// `,"copies":{"count":..,"first":..,"items":[..]}`, or nothing for an article with no copy.
void append_copies(fmt::memory_buffer& out, const std::optional<Copies>& copies) {
  if (!copies) return;
  fmt::format_to(std::back_inserter(out), R"(,"copies":{{"count":{},"first":)", copies->count);
  if (copies->first) {
    append_copy(out, *copies->first);
  } else {
    out.append(std::string_view{"null"});
  }
  out.append(std::string_view{R"(,"items":[)"});
  for (std::size_t i = 0; i < copies->items.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_copy(out, copies->items[i]);
  }
  out.append(std::string_view{"]}"});
}

void append_hit(fmt::memory_buffer& out, const Hit& hit) {
  const std::pair<std::string_view, const std::string*> fields[] = {
      {R"({"id":)", &hit.id}, {R"(,"title":)", &hit.title}, {R"(,"title_html":)", &hit.title_html},
      {R"(,"outlet":)", &hit.outlet}};
  for (const auto& [key, value] : fields) {
    out.append(key);
    append_string(out, *value);
  }
  const std::pair<std::string_view, const std::string*> unknown_as_null[] = {
      {R"(,"date":)", &hit.date}, {R"(,"url":)", &hit.url}, {R"(,"author":)", &hit.author},
      {R"(,"lang":)", &hit.lang}};
  for (const auto& [key, value] : unknown_as_null) {
    out.append(key);
    append_string_or_null(out, *value);
  }
  out.append(std::string_view{R"(,"dir":)"});
  append_string(out, direction(hit.lang));
  out.append(std::string_view{R"(,"score":)"});
  append_number(out, hit.score);
  out.append(std::string_view{R"(,"snippet_html":)"});
  append_string(out, hit.snippet_html);
  append_copies(out, hit.copies);
  out.push_back('}');
}

void append_hits(fmt::memory_buffer& out, const std::vector<Hit>& hits) {
  out.push_back('[');
  for (std::size_t i = 0; i < hits.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_hit(out, hits[i]);
  }
  out.push_back(']');
}

/// `[{"value":..,"count":..,"selected":..}, ...]`, with `"name"` after the value when the
/// facet's values have names (languages: "ru" is "Russian").
template <typename Count>
void append_facet(fmt::memory_buffer& out, const std::vector<Count>& values,
                  const std::string Count::*value, const std::string Count::*name) {
  out.push_back('[');
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Count& v = values[i];
    out.append(std::string_view{i > 0 ? R"(,{"value":)" : R"({"value":)"});
    append_string(out, v.*value);
    if (name != nullptr) {
      out.append(std::string_view{R"(,"name":)"});
      append_string(out, v.*name);
    }
    fmt::format_to(std::back_inserter(out), R"(,"count":{},"selected":{}}})", v.count, v.selected);
  }
  out.push_back(']');
}

/// `{"key":..,"from":..,"to":..,"count":..}` for each bucket, comma-separated.
void append_buckets(fmt::memory_buffer& out, const std::vector<DateBucket>& buckets) {
  const char* separator = "";
  for (const auto& b : buckets) {
    // Keys and days come from date_histogram: ASCII digits, '-' and 'W', nothing to escape.
    // A compiled format: parsing it again for each of a few hundred buckets cost 25 us.
    fmt::format_to(std::back_inserter(out),
                   FMT_COMPILE(R"({}{{"key":"{}","from":"{}","to":"{}","count":{}}})"),
                   separator, b.key, b.from, b.to, b.count);
    separator = ",";
  }
}

/// `,"timeline":{"interval","outlets","buckets":[{"key","from","to","counts","other"}],"undated"}`.
void append_timeline(fmt::memory_buffer& out, const TimelineFacet& t) {
  out.append(std::string_view{R"(,"timeline":{"interval":)"});
  append_string(out, t.interval);
  out.append(std::string_view{R"(,"outlets":[)"});
  for (std::size_t i = 0; i < t.outlets.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_string(out, t.outlets[i]);
  }
  out.append(std::string_view{R"(],"buckets":[)"});
  const char* separator = "";
  for (const auto& b : t.buckets) {
    fmt::format_to(std::back_inserter(out), R"({}{{"key":"{}","from":"{}","to":"{}","counts":[{}],"other":{}}})",
                   separator, b.key, b.from, b.to,
                   fmt::join(b.counts.begin(), b.counts.end() - 1, ","), b.counts.back());
    separator = ",";
  }
  fmt::format_to(std::back_inserter(out), R"(],"undated":{}}})", t.undated);
}

/// `,"matched":..` and, when there is something to say, dropped, corrected_from and notes.
void append_matching(fmt::memory_buffer& out, const SearchResponse& r) {
  out.append(std::string_view{r.partial ? R"(,"matched":"partial","dropped":[)" : R"(,"matched":"all")"});
  if (r.partial) {
    for (std::size_t i = 0; i < r.dropped.size(); ++i) {
      if (i > 0) out.push_back(',');
      append_string(out, r.dropped[i]);
    }
    out.push_back(']');
  }
  if (r.corrected_from) {
    out.append(std::string_view{R"(,"corrected_from":)"});
    append_string(out, *r.corrected_from);
  }
  if (r.notes.empty()) return;
  out.append(std::string_view{R"(,"notes":[)"});
  for (std::size_t i = 0; i < r.notes.size(); ++i) {
    const search::QueryNote& note = r.notes[i];
    out.append(std::string_view{i > 0 ? R"(,{"code":)" : R"({"code":)"});
    append_string(out, note.code);
    out.append(std::string_view{R"(,"message":)"});
    append_string(out, note.message);
    fmt::format_to(std::back_inserter(out), R"(,"position":{}}})", note.position);
  }
  out.push_back(']');
}

}  // namespace

std::string search_body(const SearchResponse& r) {
  fmt::memory_buffer out;
  out.append(std::string_view{R"({"query":)"});
  append_string(out, r.query);
  fmt::format_to(std::back_inserter(out),
                 R"(,"total":{},"total_articles":{},"collapsed":{},"total_exact":{},"timed_out":{},"took_ms":)",
                 r.total, r.total_articles, r.collapsed, r.total_exact, r.timed_out);
  append_number(out, r.took_ms);
  fmt::format_to(std::back_inserter(out), R"(,"page":{},"size":{},"sort":"{}","hits":)", r.page,
                 r.size, sort_name(r.sort));
  append_hits(out, r.hits);
  out.append(std::string_view{R"(,"facets":{"outlet":)"});
  append_facet<OutletCount>(out, r.outlet_facet, &OutletCount::value, nullptr);
  fmt::format_to(std::back_inserter(out), R"(,"outlet_total":{},"lang":)", r.outlet_total);
  append_facet(out, r.lang_facet, &LanguageCount::code, &LanguageCount::name);
  out.append(std::string_view{R"(,"date":{"interval":)"});
  append_string(out, r.date_facet.interval);
  out.append(std::string_view{R"(,"buckets":[)"});
  append_buckets(out, r.date_facet.buckets);
  fmt::format_to(std::back_inserter(out), R"(],"undated":{}}})", r.date_facet.undated);
  if (r.timeline) append_timeline(out, *r.timeline);
  out.append(std::string_view{R"(},"suggestion":)"});
  if (r.suggestion) {
    append_string(out, *r.suggestion);
  } else {
    out.append(std::string_view{"null"});
  }
  append_matching(out, r);
  if (!r.missing_shards.empty()) {
    out.append(std::string_view{R"(,"partial":true,"missing_shards":[)"});
    for (std::size_t i = 0; i < r.missing_shards.size(); ++i) {
      if (i > 0) out.push_back(',');
      append_string(out, r.missing_shards[i]);
    }
    out.push_back(']');
  }
  out.push_back('}');
  return fmt::to_string(out);
}

std::string similar_body(const std::string& id, const std::vector<Hit>& hits) {
  fmt::memory_buffer out;
  out.append(std::string_view{R"({"id":)"});
  append_string(out, id);
  out.append(std::string_view{R"(,"hits":)"});
  append_hits(out, hits);
  out.push_back('}');
  return fmt::to_string(out);
}

nlohmann::ordered_json article_json(const ArticleView& view) {
  const Article& a = view.article;
  return {
      {"id", a.id},
      {"title", a.title},
      {"title_html", view.title_html},
      {"outlet", a.outlet},
      {"date", or_null(a.date)},
      {"url", or_null(a.url)},
      {"author", or_null(a.author)},
      {"lang", or_null(a.lang)},
      {"dir", direction(a.lang)},
      {"text", a.text},
      {"text_html", view.text_html},
  };
}

nlohmann::ordered_json copies_json(const ArticleCopies& copies) {
  const auto ref = [](const CopyRef& copy) {
    nlohmann::ordered_json json{{"id", copy.id},          {"outlet", copy.outlet},
                                {"date", or_null(copy.date)}, {"url", or_null(copy.url)},
                                {"title", copy.title}};
    if (copy.shared) json["shared"] = std::round(*copy.shared * 100) / 100;
    return json;
  };
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const auto& copy : copies.copies.items) items.push_back(ref(copy));
  return {{"id", copies.article.id},
          {"group", or_null(copies.copies.group)},
          {"count", copies.copies.count},
          {"first", copies.copies.first ? ref(*copies.copies.first) : nlohmann::ordered_json(nullptr)},
          {"items", std::move(items)}};
}

nlohmann::ordered_json stats_json(const Stats& stats) {
  nlohmann::ordered_json outlets = nlohmann::ordered_json::array();
  for (const auto& o : stats.outlets) outlets.push_back({{"value", o.value}, {"count", o.count}});
  nlohmann::ordered_json langs = nlohmann::ordered_json::array();
  for (const auto& l : stats.langs) {
    langs.push_back({{"value", l.code}, {"name", l.name}, {"count", l.count}});
  }
  nlohmann::ordered_json json = {
      {"articles", stats.articles},
      {"outlets", outlets},
      {"langs", langs},
      {"first_date", or_null(stats.first_date)},
      {"last_date", or_null(stats.last_date)},
      {"revision", stats.revision},
      {"max_export_rows", stats.max_export_rows},
  };
  if (!stats.shards.empty()) json["shards"] = shards_json(stats.shards);
  return json;
}

nlohmann::ordered_json shards_json(const std::vector<ShardStats>& shards) {
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  for (const auto& shard : shards) {
    nlohmann::ordered_json entry = {{"path", shard.path}, {"articles", shard.articles}, {"revision", shard.revision}};
    if (!shard.down.empty()) entry["down"] = shard.down;
    json.push_back(std::move(entry));
  }
  return json;
}

}  // namespace clippings::http
