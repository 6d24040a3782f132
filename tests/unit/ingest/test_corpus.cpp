/// @file test_corpus.cpp
/// The test corpus (tests/data/corpus, fictional, messy as real clippings are) with its
/// catalog: titles, outlets, dates, authors, and clean text that keeps every real paragraph.
#include <doctest/doctest.h>

#include "corpus_checks.h"

using namespace clippings;
using namespace clippings::test;

namespace {

const std::filesystem::path kCorpus = std::filesystem::path{CLIPPINGS_TEST_DATA_DIR} / "corpus";

const std::vector<ExpectedArticle>& corpus() {
  static const std::vector<ExpectedArticle> kArticles = {
      // A headline on the first line, a photo caption with its credit, a subheading, an
      // advertisement label at the end; outlet and date from the catalog.
      {"01_ferry_timetable.txt", "Brannock ferry to lose its winter evening sailings",
       TitleFrom::kHeadline, "The Brannock Packet", "2023-03-13", "",
       {"Harbour crews lift the storm-damaged gangway at Brannock pier - Orla Weir /Skerry Pictures",
        "Advertisement"}},
      // A "date YYYY-MM-DD" line at the top, an "Of:" byline, no headline (the title is the
      // lead's long first sentence, shortened), a © credit, a no-break space; the outlet is the
      // URL's host without www.
      {"02_lighthouse_keepers.txt", "After one hundred and twelve years of keepers living beside the light",
       TitleFrom::kShortenedLead, "islandwire.example", "2023-05-14", "Tamsin Odell",
       {"date 2023-05-14 Home page island news", "Of: Tamsin Odell",
        "The keepers\u2019 cottage beside the tower at Brannock Head. \u00a9 SORCHA LINN/ISLAND LENS"}},
      // The headline under a "Share this article" line, a "Name / Agency / Source" credit
      // repeated on a tab-indented line, the donation appeal running to the end; the date is
      // only in the URL.
      {"03_harbour_wall.txt", "Brannock Harbour Wall Breached as Spring Storm Floods Quayside",
       TitleFrom::kHeadline, "Skerry Coast Herald", "2023-06-02", "",
       {"Share this article", "Ruaridh Voss / Skerry Pictures / Harbour Trust"}},
      // No headline (the title is the whole first sentence), a "Photo:" credit, undated.
      {"04_puffin_count.txt",
       "Seabird wardens on Brannock counted fewer puffin burrows this summer than in any year "
       "since their survey began",
       TitleFrom::kLead, "islandwire.example", "", "",
       {"Puffins on the north cliffsPhoto: Iona Tate / Harbour Lens"}},
      // Another outlet's article re-hosted, under an advertisement label.
      {"05_ferry_timetable_rehosted.txt", "Brannock ferry to lose its winter evening sailings",
       TitleFrom::kHeadline, "newsmirror-daily.example", "2023-03-15", "", {"Advertisement"}},
      // A "By Name · date" byline, the appeal's tail without "Read more".
      {"06_ferry_vote.txt", "Transport Board Keeps Friday Night Ferry After Brannock Petition",
       TitleFrom::kHeadline, "Skerry Coast Herald", "2024-04-03", "Ewan Rusk",
       {"Advertisement", "By Ewan Rusk \u00b7 3 April 2024"}},
      // A clean article.
      {"07_school_garden.txt", "Brannock pupils grow the island\u2019s first school orchard",
       TitleFrom::kHeadline, "The Brannock Packet", "2024-09-20", "", {}},
  };
  return kArticles;
}

}  // namespace

TEST_CASE("corpus: metadata from catalog, text and URL") {
  check_metadata(kCorpus, corpus());
}

TEST_CASE("corpus: boilerplate and the donation appeal are gone") {
  check_boilerplate_gone(kCorpus, corpus(),
                         {"small favor", "payment methods", "Remind me later", "Not ready to support",
                          "Advertisement", "Share this article", "Read more", "Skerry Pictures",
                          "\t", "\n\n\n", "\xC2\xA0"});
}

TEST_CASE("corpus: every real paragraph survives cleaning") {
  check_paragraphs_kept(kCorpus, corpus());
}
