/// @file test_seeds.cpp
/// The real seed articles with their catalog: titles, outlets, dates, authors, and clean text
/// that keeps every real paragraph.
#include <doctest/doctest.h>

#include <set>

#include "ingest/ingest.h"
#include "ingest/text.h"
#include "support.h"

using namespace clippings;

namespace {

const std::filesystem::path kSeeds{CLIPPINGS_SEEDS_DIR};

struct Seed {
  const char* file;
  const char* title;  ///< exact, or the start of a shortened title ending in "…"
  const char* outlet;
  const char* date;
  const char* author;
  std::vector<std::string> removed;  ///< lines that must not survive
};

const std::vector<Seed>& seeds() {
  static const std::vector<Seed> kSeedsTable = {
      {"000_5a8bce87a4fb4879.txt",
       "Watch: Russian troops hand out flowers in occupied Ukraine on International Women\u2019s Day",
       "AOL", "2024-03-08", "",
       {"Vladimir Putin presents flowers to female student pilots to mark International Women's "
        "Day - Planetpix /Alamy",
        "Advertisement"}},
      {"001_ea8d4c235abd4d08.txt", "Shortly before Russian Mother\u2019s Day, the Kremlin", "Pledge Times",
       "2022-11-25", "Daniel Dillman",
       {"date 2022-11-25 Home page politics", "Of: Daniel Dillman",
        "Vladimir Putin meeting the mothers of soldiers killed in the Ukraine war. \u00a9 MIKHAIL "
        "METZEL/AFP"}},
      {"002_54276fa2884e95bc.txt", "Putin Meets With Carefully Selected Group of Soldiers' Mothers",
       "The Moscow Times", "2022-11-25", "",
       {"Support The Moscow Times!", "Alexander Scherbak / TASS / Kremlin"}},
      {"003_fbfba67a597a942e.txt",
       "Russian President Vladimir Putin met with the mothers of soldiers fighting in Ukraine",
       "247 News Reel", "", "",
       {"President of Russia Vladimir PutinPhoto: Gavriil Grigorov / AP / Profimedia"}},
      {"004_9982bdc7bfb361fd.txt",
       "Relatives of Mobilized Russian Soldiers Protest Outside Defense Ministry",
       "The Moscow Times", "2024-06-03", "", {"Support The Moscow Times!"}},
  };
  return kSeedsTable;
}

Article extract(const Seed& seed) {
  static const Extractor extractor{default_config()};
  auto catalog = Catalog::load(kSeeds / "catalog.csv");
  REQUIRE_MESSAGE(catalog.ok(), catalog.error().message);
  const auto path = kSeeds / seed.file;
  const Metadata* row = catalog->find(path);
  REQUIRE(row != nullptr);
  auto article = extractor.from_text(test::read_file(path), Origin{path.string(), seed.file,
                                                                   path.string(), 0}, row);
  REQUIRE_MESSAGE(article.ok(), article.error().message);
  return *article;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("seeds: metadata from catalog, text and URL") {
  for (const auto& seed : seeds()) {
    CAPTURE(seed.file);
    const Article article = extract(seed);
    const std::string title = seed.title;
    if (contains(title, "Shortly") || contains(title, "Russian President")) {
      // Titles made from the first sentence: shortened at a word with an ellipsis.
      CHECK(article.title.rfind(title, 0) == 0);
      CHECK(article.title.size() > title.size());
      CHECK(text::length_utf8(article.title) <= 121);
      CHECK(article.title.substr(article.title.size() - 3) == "\u2026");
    } else {
      CHECK(article.title == title);
    }
    CHECK(article.outlet == seed.outlet);
    CHECK(article.date == seed.date);
    CHECK(article.author == seed.author);
    CHECK(article.lang == "en");
    CHECK(article.id.rfind("https://", 0) == 0);
  }
}

TEST_CASE("seeds: boilerplate and the donation appeal are gone") {
  for (const auto& seed : seeds()) {
    CAPTURE(seed.file);
    const Article article = extract(seed);
    for (const char* gone : {"small favor", "paiment methods", "Remind me later",
                             "Not ready to support", "Advertisement", "Support The Moscow Times",
                             "Read more", "\t", "\n\n\n", "\xC2\xA0"}) {
      CAPTURE(gone);
      CHECK_FALSE(contains(article.text, gone));
    }
    for (const auto& line : seed.removed) {
      CAPTURE(line);
      CHECK_FALSE(contains(article.text, line));
    }
    // A headline taken from the text leaves the body; a shortened first sentence is no line.
    CHECK_FALSE(contains(article.text, article.title));
  }
}

TEST_CASE("seeds: every real paragraph survives cleaning") {
  for (const auto& seed : seeds()) {
    CAPTURE(seed.file);
    const Article article = extract(seed);
    const std::set<std::string> removed(seed.removed.begin(), seed.removed.end());
    std::size_t checked = 0;
    for (const auto& line : text::clean_lines(test::read_file(kSeeds / seed.file))) {
      if (contains(line, "small favor")) break;  // the appeal runs to the end of the text
      if (line.empty() || removed.count(line) || line == article.title) continue;
      CAPTURE(line);
      CHECK(contains(article.text, line));
      ++checked;
    }
    CHECK(checked >= 5);
  }
}
