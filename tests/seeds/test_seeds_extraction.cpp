/// @file test_seeds_extraction.cpp
/// The seed articles with their catalog: titles, outlets, dates, authors, and clean text that
/// keeps every real paragraph.
#include <doctest/doctest.h>

#include "corpus_checks.h"
#include "seeds.h"

using namespace clippings;
using namespace clippings::test;

namespace {

const std::vector<ExpectedArticle>& seeds() {
  static const std::vector<ExpectedArticle> kSeedsTable = {
      {"000_5a8bce87a4fb4879.txt",
       "Watch: Russian troops hand out flowers in occupied Ukraine on International Women\u2019s Day",
       TitleFrom::kHeadline, "AOL", "2024-03-08", "",
       {"Vladimir Putin presents flowers to female student pilots to mark International Women's "
        "Day - Planetpix /Alamy",
        "Advertisement"}},
      {"001_ea8d4c235abd4d08.txt", "Shortly before Russian Mother\u2019s Day, the Kremlin",
       TitleFrom::kShortenedLead, "Pledge Times", "2022-11-25", "Daniel Dillman",
       {"date 2022-11-25 Home page politics", "Of: Daniel Dillman",
        "Vladimir Putin meeting the mothers of soldiers killed in the Ukraine war. \u00a9 MIKHAIL "
        "METZEL/AFP"}},
      {"002_54276fa2884e95bc.txt", "Putin Meets With Carefully Selected Group of Soldiers' Mothers",
       TitleFrom::kHeadline, "The Moscow Times", "2022-11-25", "",
       {"Support The Moscow Times!", "Alexander Scherbak / TASS / Kremlin"}},
      {"003_fbfba67a597a942e.txt",
       "Russian President Vladimir Putin met with the mothers of soldiers fighting in Ukraine",
       TitleFrom::kShortenedLead, "247 News Reel", "", "",
       {"President of Russia Vladimir PutinPhoto: Gavriil Grigorov / AP / Profimedia"}},
      {"004_9982bdc7bfb361fd.txt",
       "Relatives of Mobilized Russian Soldiers Protest Outside Defense Ministry",
       TitleFrom::kHeadline, "The Moscow Times", "2024-06-03", "", {"Support The Moscow Times!"}},
  };
  return kSeedsTable;
}

}  // namespace

TEST_CASE("seeds: metadata from catalog, text and URL") {
  check_metadata(seeds_dir(), seeds());
}

TEST_CASE("seeds: boilerplate and the donation appeal are gone") {
  check_boilerplate_gone(seeds_dir(), seeds(),
                         {"small favor", "paiment methods", "Remind me later", "Not ready to support",
                          "Advertisement", "Support The Moscow Times", "Read more", "\t", "\n\n\n",
                          "\xC2\xA0"});
}

TEST_CASE("seeds: every real paragraph survives cleaning") {
  check_paragraphs_kept(seeds_dir(), seeds());
}
