/// @file test_server_languages.cpp
/// Every language and script through real HTTP: a database built by the real indexer from
/// tests/data/lang (fictional articles in Russian, tagged and untagged, Ukrainian, German,
/// French, English, Chinese, Japanese and Arabic, and pages in windows-1251, KOI8-R and
/// Shift_JIS), searched through an in-process server.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "params.h"
#include "server_fixture.h"

namespace clippings::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kRuMothers = "lang-ru-mothers";      // tagged ru: "матери", "Цуканова"
constexpr const char* kRuMeeting = "lang-ru-meeting";      // tagged ru: only "матерей", often
constexpr const char* kRuPetition = "ru-petition.txt";     // untagged ru: "губернатору"
constexpr const char* kEnPutDomoy = "lang-en-put-domoy";   // "Put Domoy", "Tsukanova", "Putin"

struct Shared {
  TempDir dir;
  std::unique_ptr<InProcessServer> server;
  Shared() {
    const auto indexed = run_indexer(dir / "db", (fs::path{CLIPPINGS_TEST_DATA_DIR} / "lang").string());
    REQUIRE_MESSAGE(indexed.exit_code == 0, indexed.err);
    server = std::make_unique<InProcessServer>(test_config(dir / "db", dir / "web"));
  }
};

int port() {
  static Shared shared;
  return shared.server->port();
}

json get_json(const std::string& target, int status = 200) {
  return get_json_at(port(), target, status);
}

/// GET /api/search with `q` and more parameters (already encoded).
json search(const std::string& q, const std::string& more = "") {
  return get_json("/api/search?q=" + http::percent_encode(q) + more);
}

std::vector<std::string> ids(const json& response) {
  std::vector<std::string> out;
  for (const auto& hit : response["hits"]) out.push_back(hit["id"]);
  return out;
}

const json& hit(const json& response, const std::string& id) {
  for (const auto& h : response["hits"]) {
    if (h["id"] == id) return h;
  }
  FAIL("no hit " << id);
  return response;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// Language code -> count, from a response's lang facet.
std::map<std::string, int> lang_counts(const json& response) {
  std::map<std::string, int> counts;
  for (const auto& value : response["facets"]["lang"]) counts[value["value"]] = value["count"];
  return counts;
}

}  // namespace

TEST_CASE("languages: each article has its language, given or detected") {
  const json all = search("", "&size=100");
  std::map<std::string, std::string> lang_of;
  for (const auto& h : all["hits"]) lang_of[h["id"]] = h["lang"];
  CHECK(lang_of[kRuMothers] == "ru");                // front matter
  CHECK(lang_of[kRuPetition] == "ru");               // detected
  CHECK(lang_of["lang-uk-mothers"] == "uk");         // detected, not taken for Russian
  CHECK(lang_of["lang-zh-tokyo"] == "zh");
  CHECK(lang_of["lang-ja-kaigi"] == "ja");
  CHECK(lang_of[kEnPutDomoy] == "en");
  CHECK(lang_of["encodings/ru-ferry-koi8-r.txt"] == "ru");
  CHECK(lang_of["lang-be-minsk"] == "be");            // JSON field, by its English name
  CHECK(lang_of["lang-pl-gdansk"] == "pl");           // catalog column
  CHECK(lang_counts(all) == std::map<std::string, int>{{"ar", 1}, {"be", 1}, {"de", 1}, {"en", 3},
                                                       {"fr", 1}, {"ja", 2}, {"pl", 1}, {"ru", 5},
                                                       {"uk", 1}, {"zh", 1}});
  const json stats = get_json("/api/stats");
  REQUIRE(stats["langs"].size() == 10);
  CHECK(stats["langs"][0] == json{{"value", "ru"}, {"name", "Russian"}, {"count", 5}});
}

TEST_CASE("languages: a JSON field and a catalog column give the language") {
  // A headline alone is too short to detect: its language is the JSON line's.
  const json minsk = search("", "&lang=be");
  REQUIRE(ids(minsk) == std::vector<std::string>{"lang-be-minsk"});
  CHECK(minsk["facets"]["lang"][0] ==
        json{{"value", "be"}, {"name", "Belarusian"}, {"count", 1}, {"selected", true}});
  // Belarusian letters by Belarusian rules, and the headline marked.
  const json latin = search("Minsk");
  REQUIRE(ids(latin) == std::vector<std::string>{"lang-be-minsk"});
  CHECK(contains(latin["hits"][0]["title_html"].get<std::string>(), "<mark>Мінск</mark>"));
  // The catalog's row for a text file: its title, outlet and language.
  const json gdansk = search("Gdansk");
  REQUIRE(ids(gdansk) == std::vector<std::string>{"lang-pl-gdansk"});
  CHECK(gdansk["hits"][0]["lang"] == "pl");
  CHECK(gdansk["hits"][0]["outlet"] == "Kurier Nadrzeczny");
  CHECK(contains(gdansk["hits"][0]["snippet_html"].get<std::string>(), "<mark>Gdańsk</mark>"));
}

TEST_CASE("languages: a query is stemmed in every language the index holds") {
  for (const char* q : {"матери", "матерей", "сыновья", "Матери"}) {
    CAPTURE(q);
    CHECK(contains(ids(search(q)), kRuMothers));
  }
  // English words find the English article, not Russian ones.
  CHECK(ids(search("mothers")) == std::vector<std::string>{kEnPutDomoy});
  // An untagged Russian article is stemmed as Russian: the dative finds the nominative.
  const json governor = search("губернатор");
  CHECK(contains(ids(governor), kRuPetition));
  CHECK(contains(hit(governor, kRuPetition)["snippet_html"].get<std::string>(),
                 "<mark>губернатору</mark>"));
}

TEST_CASE("languages: inflected forms are highlighted, exact forms rank first") {
  const json mothers = search("матери");
  // The meeting's "матерей" (five times) matches by stem and is marked...
  CHECK(contains(hit(mothers, kRuMeeting)["snippet_html"].get<std::string>(), "<mark>Матерей</mark>"));
  // ...but the article with "матери" as typed ranks first.
  CHECK(ids(mothers).front() == kRuMothers);
  CHECK(ids(search("матерей")).front() == kRuMeeting);
  // The same in the article view.
  const json view = get_json("/api/articles/" + http::percent_encode(kRuMothers) + "?q=" +
                             http::percent_encode("матерей"));
  CHECK(contains(view["text_html"].get<std::string>(), "<mark>матерей</mark>"));
  CHECK(contains(view["text_html"].get<std::string>(), "<mark>матери</mark>"));
  CHECK(view["lang"] == "ru");
  CHECK(view["dir"] == "ltr");
}

TEST_CASE("languages: Chinese and Japanese words are found inside sentences") {
  const json tokyo = search("东京");
  REQUIRE(ids(tokyo) == std::vector<std::string>{"lang-zh-tokyo"});
  CHECK(contains(tokyo["hits"][0]["snippet_html"].get<std::string>(), "我们在<mark>东京</mark>见面了"));
  const json meeting = search("会議");
  REQUIRE(ids(meeting) == std::vector<std::string>{"lang-ja-kaigi"});
  CHECK(contains(meeting["hits"][0]["snippet_html"].get<std::string>(), "大阪で<mark>会議</mark>を"));
  // A character that is only part of the word asked for is not marked alone.
  CHECK_FALSE(contains(meeting["hits"][0]["snippet_html"].get<std::string>(), "<mark>会</mark>"));
}

TEST_CASE("languages: accents and ё are folded, exact forms rank first") {
  const json cafe = search("cafe");
  CHECK(ids(cafe).front() == "lang-en-cafe");
  CHECK(contains(ids(cafe), "lang-en-cafe-accent"));
  CHECK(contains(hit(cafe, "lang-en-cafe-accent")["snippet_html"].get<std::string>(), "<mark>café</mark>"));
  const json accented = search("café");
  CHECK(ids(accented).front() == "lang-en-cafe-accent");
  CHECK(contains(ids(accented), "lang-en-cafe"));
  CHECK(ids(search("meres")) == std::vector<std::string>{"lang-fr-meres"});
  CHECK(ids(search("Strasse")) == std::vector<std::string>{"lang-de-muetter"});
  const json wives = search("жены");
  CHECK(ids(wives) == std::vector<std::string>{kRuMothers});
  CHECK(contains(wives["hits"][0]["snippet_html"].get<std::string>(), "<mark>жён</mark>"));
}

TEST_CASE("languages: Latin letters find Cyrillic and the reverse, below same-script matches") {
  struct Case {
    const char* q;
    std::vector<std::string> expected;  // in this order: own script first
    const char* marked;                 // in the other script's hit
  };
  const Case cases[] = {
      {"Tsukanova", {kEnPutDomoy, kRuMothers}, "<mark>Цуканова</mark>"},
      {"Цуканова", {kRuMothers, kEnPutDomoy}, "<mark>Tsukanova</mark>"},
      {"Putin", {kEnPutDomoy, kRuMothers}, "<mark>Путину</mark>"},
      {"Путин", {kRuMothers, kEnPutDomoy}, "<mark>Putin</mark>"},
      {"Put Domoy", {kEnPutDomoy, kRuMothers}, "«<mark>Путь</mark> <mark>домой</mark>»"},
      {"\"Put Domoy\"", {kEnPutDomoy, kRuMothers}, "«<mark>Путь</mark> <mark>домой</mark>»"},
      {"Путь домой", {kRuMothers, kEnPutDomoy}, "<mark>Put</mark> <mark>Domoy</mark>"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.q);
    const json response = search(c.q);
    CHECK(ids(response) == c.expected);
    if (ids(response).size() == 2) {
      CHECK(contains(response["hits"][1]["snippet_html"].get<std::string>(), c.marked));
    }
  }
  // Ukrainian letters by Ukrainian rules: "Київ" is "Kyiv".
  CHECK(ids(search("Kyiv")) == std::vector<std::string>{"lang-uk-mothers"});
}

TEST_CASE("languages: the lang filter and facet, multi-select like the outlet's") {
  const json ru = search("", "&lang=ru");
  CHECK(ru["total"] == 5);
  // The facet ignores its own filter: every language stays listed, the chosen one first.
  CHECK(ru["facets"]["lang"][0] == json{{"value", "ru"}, {"name", "Russian"}, {"count", 5}, {"selected", true}});
  CHECK(lang_counts(ru)["en"] == 3);
  // ...and the other facets follow it.
  std::map<std::string, int> outlets;
  for (const auto& o : ru["facets"]["outlet"]) outlets[o["value"]] = o["count"];
  CHECK(outlets.count("The Riverside Courier") == 0);
  CHECK(outlets["Волжский вестник"] == 2);

  CHECK(search("", "&lang=ru&lang=uk")["total"] == 6);
  CHECK(search("", "&lang=Russian")["total"] == 5);  // names and tags are read as codes
  CHECK(ids(search("Tsukanova", "&lang=ru")) == std::vector<std::string>{kRuMothers});
  CHECK(ids(search("Tsukanova", "&lang=en")) == std::vector<std::string>{kEnPutDomoy});
  const json none = search("Tsukanova", "&lang=de");
  CHECK(none["total"] == 0);
  CHECK(lang_counts(none) == std::map<std::string, int>{{"de", 0}, {"en", 1}, {"ru", 1}});

  const json error = get_json("/api/search?q=x&lang=xx", 400);
  CHECK(error["error"]["code"] == "invalid_parameter");
  CHECK(error["error"]["param"] == "lang");
}

TEST_CASE("languages: English results are those of an index with no other language") {
  // The English samples alone, and the same with the samples and test articles in every other
  // language and script beside them: an English query finds the same English articles, marked
  // the same. (Their order by relevance may differ: BM25 weighs a word by the number of
  // articles in the index, whatever their language.)
  TempDir dir;
  std::vector<std::string> english;
  for (const auto& entry : fs::directory_iterator(CLIPPINGS_SAMPLES_DIR)) {
    if (entry.is_directory() && entry.path().filename() != "multilingual") {
      english.push_back(entry.path().string());
    }
  }
  REQUIRE(english.size() == 4);
  std::vector<std::string> every = english;
  every.push_back((fs::path{CLIPPINGS_SAMPLES_DIR} / "multilingual").string());
  every.push_back((fs::path{CLIPPINGS_TEST_DATA_DIR} / "lang").string());
  for (const auto& [db, sources] : {std::pair{"en", english}, std::pair{"all", every}}) {
    for (const auto& source : sources) {
      const auto indexed = run_indexer(dir / db, source);
      // The samples hold deliberately broken input, reported with exit 1.
      REQUIRE_MESSAGE((indexed.exit_code == 0 || indexed.exit_code == 1), indexed.err);
    }
  }
  InProcessServer alone{test_config(dir / "en", dir / "web")};
  // The server stems as the index records, whatever language its own configuration names.
  Config french = test_config(dir / "all", dir / "web");
  french.language = "fr";
  InProcessServer mixed{french};
  for (const char* q : {"strike", "port strike", "\"port strike\"", "stevedores strike",
                        "dockworkers voted", "Okafor", "rationing", "library closure",
                        "council OR budget", "title:strike", "mayor -Okafor", "transit*"}) {
    CAPTURE(q);
    const std::string target = "/api/search?size=100&q=" + http::percent_encode(q);
    const json expected = json_of(raw_get(alone.port(), target));
    const json got = json_of(raw_get(mixed.port(), target + "&lang=en"));
    REQUIRE(expected["total"].get<int>() > 0);
    CHECK(got["total"] == expected["total"]);
    std::map<std::string, json> marked;  // id -> the hit in the English index
    for (const auto& h : expected["hits"]) marked[h["id"]] = h;
    REQUIRE(got["hits"].size() == marked.size());
    for (const auto& h : got["hits"]) {
      CAPTURE(h["id"]);
      REQUIRE(marked.count(h["id"]) == 1);
      CHECK(h["title_html"] == marked[h["id"]]["title_html"]);
      CHECK(h["snippet_html"] == marked[h["id"]]["snippet_html"]);
    }
  }
}

TEST_CASE("languages: exports mark each article in its own language") {
  const auto res = raw_get(port(), "/api/search.jsonl?q=" + http::percent_encode("матери"));
  REQUIRE(res);
  REQUIRE(res->status == 200);
  std::map<std::string, json> rows;
  std::istringstream lines{res->body};
  for (std::string line; std::getline(lines, line);) {
    const json row = json::parse(line);
    rows[row["id"]] = row;
  }
  REQUIRE(rows.count(kRuMeeting) == 1);
  CHECK(rows[kRuMeeting]["lang"] == "ru");
  CHECK(contains(rows[kRuMeeting]["snippet_html"].get<std::string>(), "<mark>Матерей</mark>"));
  CHECK(contains(rows[kRuMeeting]["title_html"].get<std::string>(), "<mark>матерей</mark>"));
}

TEST_CASE("languages: right-to-left articles say so") {
  const json arabic = search("", "&lang=ar");
  REQUIRE(arabic["hits"].size() == 1);
  CHECK(arabic["hits"][0]["dir"] == "rtl");
  CHECK(search("", "&lang=ru")["hits"][0]["dir"] == "ltr");
  const json view = get_json("/api/articles/lang-ar-mothers");
  CHECK(view["lang"] == "ar");
  CHECK(view["dir"] == "rtl");
}

TEST_CASE("languages: pages in windows-1251, KOI8-R and Shift_JIS are read in them") {
  const json bridge = search("мост");
  CHECK(contains(ids(bridge), "encodings/ru-bridge-windows-1251.html"));
  CHECK(hit(bridge, "encodings/ru-bridge-windows-1251.html")["title"] == "Мост через Заречку закроют на ремонт");
  CHECK(hit(bridge, "encodings/ru-bridge-windows-1251.html")["outlet"] == "Заречные новости");
  const json ferry = search("паром");
  CHECK(hit(ferry, "encodings/ru-ferry-koi8-r.txt")["title"] == "Паром через Заречку начнёт работу в июне");
  const json japanese = search("渡し船");
  CHECK(ids(japanese) == std::vector<std::string>{"encodings/ja-bridge-shift_jis.html"});
  CHECK(japanese["hits"][0]["title"] == "川辺の橋、六月から工事");
}

}  // namespace clippings::test
