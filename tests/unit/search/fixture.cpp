/// @file fixture.cpp
#include "fixture.h"

#include <algorithm>

#include <xapian.h>

#include "document.h"

namespace clippings::test {
namespace {

Article article(std::string id, std::string outlet, std::string date, std::string title,
                std::string text, std::string author = "") {
  Article a;
  a.url = "https://news.example/" + id;
  a.id = std::move(id);
  a.outlet = std::move(outlet);
  a.date = std::move(date);
  a.title = std::move(title);
  a.text = std::move(text);
  a.author = std::move(author);
  a.lang = "en";
  return a;
}

constexpr const char* kGazette = "The Harbour Gazette";
constexpr const char* kLedger = "Northern Ledger";
constexpr const char* kCourier = "Valley Courier";

}  // namespace

std::vector<Article> sample_articles() {
  return {
      article("a01", kGazette, "2021-03-15", "Council approves harbour bridge",
              "The city council approved the new harbour bridge after a long debate. Engineers "
              "will begin work on the bridge piers in spring.",
              "Mara Quill"),
      article("a02", kGazette, "2021-11-02", "Ferry strike ends after talks",
              "Ferry workers ended their strike on Tuesday. The union will negotiate with the "
              "operator again next week."),
      article("a03", kGazette, "2022-06-20", "Harbour bridge opening delayed",
              "The opening of the harbour bridge was delayed by storms. Council engineers said "
              "the bridge piers need more work before spring.",
              "Mara Quill"),
      article("a04", kLedger, "2022-11-21", "Mountain railway reopens",
              "The mountain railway reopened after repairs to the tunnel. Tourists returned to "
              "the summit station within hours."),
      article("a05", kLedger, "2022-11-27", "Snowfall closes mountain passes",
              "Heavy snowfall closed both mountain passes overnight. Drivers were told to wait "
              "for the ploughs."),
      article("a06", kLedger, "2022-11-28", "Railway fares to rise",
              "Fares on the regional railway will rise in January, the operator announced."),
      article("a07", kCourier, "2023-01-02", "Vineyard harvest breaks record",
              "Growers held meetings all week about the record harvest. The cooperative meets "
              "again in May to set prices for the wine."),
      article("a08", kCourier, "2023-05-09", "Valley school wins science prize",
              "Pupils built a weather station. Their report quoted <script>alert(1)</script> "
              "as an example of unsafe code & said \"never trust input\"."),
      article("a09", kCourier, "2023-12-31", "Fireworks over the valley",
              "Crowds gathered on the hillside to watch the new year fireworks over the "
              "vineyards."),
      article("a10", kGazette, "2023-07-14", "Fishermen protest quota cuts",
              "Fishermen blocked the harbour entrance to protest the quota cuts announced by "
              "the ministry."),
      article("a11", kLedger, "", "Letters: readers on the railway",
              "Readers wrote in about the railway timetable and the closed stations."),
      article("a12", kCourier, "", "Opinion: why the valley needs a bridge",
              "A bridge over the river would join the two halves of the valley."),
      article("a13", kGazette, "2022-02-14", "Lighthouse keeper retires",
              "After forty years the lighthouse keeper handed over the keys to the harbour "
              "trust."),
  };
}

Article article(std::string id, std::string outlet, std::string title, std::string text) {
  return article(std::move(id), std::move(outlet), "2022-05-01", std::move(title), std::move(text));
}

void write_articles(const std::string& path, const std::vector<Article>& articles) {
  Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN);
  DocumentBuilder builder{"en"};
  for (const Article& a : articles) {
    IndexedDocument built = builder.build(a, /*count_spelling=*/true);
    db.replace_document(built.id_term, built.document);
    for (const auto& [word, count] : builder.take_spelling()) db.add_spelling(word, count);
  }
  db.commit();
}

Config config_for(const std::string& path) {
  Config config = default_config();
  config.database = path;
  config.language = "en";
  return config;
}

SampleIndex::SampleIndex() : path((dir / "db").string()), searcher(config_for(path)) {
  write_articles(path, sample_articles());
}

SearchRequest request_for(const std::string& q) {
  SearchRequest request;
  request.q = q;
  request.size = 100;
  return request;
}

std::vector<std::string> ids_of(const std::vector<Hit>& hits) {
  std::vector<std::string> ids;
  for (const Hit& hit : hits) ids.push_back(hit.id);
  return ids;
}

std::vector<std::string> sorted_ids(const SearchResponse& response) {
  auto ids = ids_of(response.hits);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace clippings::test
