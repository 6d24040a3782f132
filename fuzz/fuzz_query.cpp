/// @file fuzz_query.cpp
/// A search over a small database: the query scan, Xapian's parser with the schema's fields,
/// date: ranges, relaxation, spelling, snippets. Every snippet and title must be well-formed
/// escaped HTML.
#include <cstdlib>
#include <filesystem>

#include <xapian.h>

#include "check.h"
#include "document.h"
#include "search/searcher.h"

using namespace clippings;

namespace {

Article article(std::string id, std::string date, std::string title, std::string text) {
  Article a;
  a.url = "https://harbour-post.example/" + id;
  a.id = std::move(id);
  a.outlet = "Harbour Post";
  a.date = std::move(date);
  a.title = std::move(title);
  a.text = std::move(text);
  a.lang = "en";
  return a;
}

/// A database in a fresh temporary directory (left for the system to clean: the process
/// ends by exit, not by returning from here).
std::string make_database() {
  char pattern[] = "/tmp/clippings-fuzz-query-XXXXXX";
  const char* dir = ::mkdtemp(pattern);
  FUZZ_CHECK(dir != nullptr);
  const std::string path = std::string{dir} + "/db";
  Xapian::WritableDatabase db{path, Xapian::DB_CREATE_OR_OPEN};
  DocumentBuilder builder{"en"};
  const Article articles[] = {
      article("a1", "2021-03-15", "Council approves harbour bridge",
              "The council approved the harbour bridge. Engineers begin the piers in spring."),
      article("a2", "2022-11-25", "Ferry strike ends",
              "Ferry workers ended their strike on Tuesday & the union \"won\" <b>talks</b>."),
      article("a3", "", "Letters on the railway",
              "Readers wrote about the railway timetable, the closed stations and the ferries."),
      article("a4", "2023-01-02", "Vineyard harvest breaks record",
              "Growers met all week about the record harvest; the cooperative meets in May."),
  };
  for (const Article& a : articles) {
    IndexedDocument doc = builder.build(a, /*count_spelling=*/true);
    db.replace_document(doc.id_term, doc.document);
  }
  for (const auto& [word, count] : builder.take_spelling()) db.add_spelling(word, count);
  db.commit();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Searcher searcher = [] {
    Config config = default_config();
    config.database = make_database();
    return Searcher{config};
  }();
  if (size == 0) return 0;
  // The first byte picks the order and the date interval; the rest is q.
  SearchRequest request;
  request.sort = static_cast<SortOrder>(data[0] % 3);
  request.interval = static_cast<Interval>((data[0] / 3) % 5);
  request.q = std::string{fuzz::as_text(data + 1, size - 1)};
  auto response = searcher.search(request);
  if (!response) {
    FUZZ_CHECK(response.error().status == 400);
    FUZZ_CHECK(response.error().param == "q");
    return 0;
  }
  for (const Hit& hit : response->hits) {
    fuzz::check_marked_html(hit.snippet_html);
    fuzz::check_marked_html(hit.title_html);
  }
  return 0;
}
