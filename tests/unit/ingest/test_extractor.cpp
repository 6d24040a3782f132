/// @file test_extractor.cpp
/// The shared last step: boilerplate, metadata from text and URL, ids, limits, UTF-8.
#include <doctest/doctest.h>

#include "ingest/ingest.h"

using namespace clippings;
using namespace std::string_literals;

namespace {

const Origin kOrigin{"in/a.txt", "a.txt", "/data/in/a.txt", 0};

Article finish_ok(const Extractor& extractor, const std::string& text, Metadata meta = {},
                  const Origin& origin = kOrigin) {
  auto result = extractor.finish(std::move(meta), text, origin);
  REQUIRE_MESSAGE(result.ok(), result.error().message);
  return *result;
}

}  // namespace

TEST_CASE("default boilerplate line rules drop credits and labels, keep sentences") {
  const Extractor extractor{default_config()};
  struct Case {
    const char* line;
    bool dropped;
  } cases[] = {
      {"Support The Moscow Times!", true},
      {"Advertisement", true},
      {"ADVERTISEMENT", true},
      {"Read more", true},
      {"Remind me later.", true},
      {"Alexander Scherbak / TASS / Kremlin", true},
      {"Vladimir Putin meeting the mothers of soldiers killed in the Ukraine war. \u00a9 MIKHAIL METZEL/AFP", true},
      {"President of Russia Vladimir PutinPhoto: Gavriil Grigorov / AP / Profimedia", true},
      {"Vladimir Putin presents flowers to female student pilots to mark International Women's Day - Planetpix /Alamy", true},
      {"Photo: Jane Roe / Harbour Agency", true},
      {"The ratio was 3 / 4 of the vote, officials said.", false},
      {"Prices rose and / or fell depending on the region.", false},
      {"He took a photo: it showed the harbour at dawn.", false},
      {"Readers can read more about it in the archive.", false},
      {"Advertisement revenue fell sharply last year.", false},
      {"Women-led protests", false},
      {"The \u00a9 sign was painted on the wall, witnesses said.", false},
      {"\u201cVolodymyr Volodymyrovych, answer our questions!\u201d \u2013 asked this woman, who wants to know.", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.line);
    const auto kept = extractor.strip_boilerplate({c.line});
    CHECK(kept.empty() == c.dropped);
  }
}

TEST_CASE("block rules remove to their end line, or to the end of the text") {
  Config config = default_config();
  config.boilerplate.blocks.push_back({"^related stories$", "^end of related$"});
  config.boilerplate.blocks.push_back({"^unterminated block$", "^never here$"});
  const Extractor extractor{config};
  const std::vector<std::string> lines = {
      "Lead paragraph stays.", "", "Related Stories", "Link one", "End of related", "",
      "Middle paragraph stays.", "", "Unterminated block", "Kept because the block never ends.",
      "", "\u2026 we have a small favor to ask. As you may have heard, we need your help.",
      "paiment methods", "Not ready to support today?", "Remind me later.", "", "Final words."};
  const auto kept = extractor.strip_boilerplate(lines);
  const std::vector<std::string> expected = {
      "Lead paragraph stays.", "", "", "", "Middle paragraph stays.", "", "Unterminated block",
      "Kept because the block never ends.", "", ""};
  CHECK(kept == expected);
}

TEST_CASE("block rule patterns see only the start of very long lines") {
  Config config = default_config();
  config.boilerplate.blocks = {{"needle", ""}};
  const Extractor extractor{config};
  const std::string late = std::string(400, 'x') + " needle";
  CHECK(extractor.strip_boilerplate({"keep", late}) == std::vector<std::string>{"keep", late});
  CHECK(extractor.strip_boilerplate({"keep", "a needle early"}) ==
        std::vector<std::string>{"keep", ""});
}

TEST_CASE("a block rule anchored with ^ matches at the start of a line only, unless it alternates") {
  const struct {
    const char* start;
    const char* line;
    bool starts_block;
  } cases[] = {
      {"^support us", "Support us today", true},
      {"^support us", "Please support us today", false},
      {"^(support|back) us", "Back us today", true},
      {"^[|]support", "|support", true},
      {"^support us|donate now", "Please donate now", true},  // "donate now" may match anywhere
      {"^support us|donate now", "Support us", true},
      {"support us", "Please support us today", true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.start);
    CAPTURE(c.line);
    Config config = default_config();
    config.boilerplate.blocks = {{c.start, ""}};
    const Extractor extractor{config};
    const auto kept = extractor.strip_boilerplate({"keep", c.line, "after"});
    CHECK((kept.size() == 2) == c.starts_block);
  }
}

TEST_CASE("boilerplate rules are case-insensitive and keep escapes like \\S and \\W") {
  Config config = default_config();
  config.boilerplate.lines = {R"(^SHARE\S*$)", R"(^\W+$)"};
  config.boilerplate.blocks.clear();
  const Extractor extractor{config};
  CHECK(extractor.strip_boilerplate({"share:"}).empty());
  CHECK(extractor.strip_boilerplate({"Share this"}).size() == 1);  // \S does not match a space
  CHECK(extractor.strip_boilerplate({"***"}).empty());
  CHECK(extractor.strip_boilerplate({"a"}).size() == 1);
}

TEST_CASE("title heuristics: headline line, else first sentence, metadata lines leave the body") {
  const Extractor extractor{default_config()};
  struct Case {
    const char* text;
    const char* title;
    const char* author;
    const char* body_start;
  } cases[] = {
      {"Ferry Returns to Harbour\n\nThe ferry sailed again.", "Ferry Returns to Harbour", "",
       "The ferry sailed again."},
      {"Ferry Returns to Harbour\n\nBy Mira Castellane\n\nThe ferry sailed again.",
       "Ferry Returns to Harbour", "Mira Castellane", "The ferry sailed again."},
      {" date 2022-11-25 Home page politics\n\nOf: Daniel Dillman\n\nThe council met on Friday. "
       "It voted.",
       "The council met on Friday", "Daniel Dillman", "The council met on Friday. It voted."},
      {"Support The Moscow Times!\n\nHeadline After Boilerplate\n\nBody text here.",
       "Headline After Boilerplate", "", "Body text here."},
      {"The ferry sailed again on Friday. Crowds cheered.\n\nSubheading Later\n\nMore.",
       "The ferry sailed again on Friday", "", "The ferry sailed again on Friday. Crowds cheered."},
      {"Only A Headline", "Only A Headline", "", "Only A Headline"},
      // Hard-wrapped text: a short first line that runs on is no headline.
      {"LONDON (Wire) - Shares in the harbour\ncompany rose on Friday. Traders cheered.\n\nMore.",
       "LONDON (Wire) - Shares in the harbour company rose on Friday", "",
       "LONDON (Wire) - Shares in the harbour\ncompany rose on Friday."},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    const Article article = finish_ok(extractor, c.text);
    CHECK(article.title == c.title);
    CHECK(article.author == c.author);
    CHECK(article.text.rfind(c.body_start, 0) == 0);
  }
}

TEST_CASE("a known title repeated as the first line is not kept twice") {
  const Extractor extractor{default_config()};
  Metadata meta;
  meta.title = "Ferry Returns";
  const Article article = finish_ok(extractor, "ferry returns\n\nThe ferry sailed.", meta);
  CHECK(article.title == "Ferry Returns");
  CHECK(article.text == "The ferry sailed.");
  const Article other = finish_ok(extractor, "Another Headline\n\nThe ferry sailed.", meta);
  CHECK(other.text == "Another Headline\n\nThe ferry sailed.");
}

TEST_CASE("metadata given wins, missing fields come from text, URL and config") {
  Config config = default_config();
  config.language = "de";
  const Extractor extractor{config};
  Metadata meta;
  meta.url = "https://www.themoscowtimes.com/2022/11/25/story-a1?utm_source=x";
  const Article derived = finish_ok(extractor, "Headline Here\n\nBody.", meta);
  CHECK(derived.outlet == "The Moscow Times");
  CHECK(derived.date == "2022-11-25");
  CHECK(derived.id == "https://themoscowtimes.com/2022/11/25/story-a1");
  CHECK(derived.lang == "en");  // detected in the text, before the configured default
  CHECK(derived.url == meta.url);
  CHECK(derived.source == "in/a.txt");
  CHECK(derived.source_file == "/data/in/a.txt");

  meta.id = "given-id";
  meta.outlet = "Given Outlet";
  meta.date = "2020-01-02T10:00";
  meta.lang = "EN-us";
  meta.author = "  Given\n Author ";
  const Article given = finish_ok(extractor, "By Someone Else\n\nHeadline Here\n\nBody.", meta);
  CHECK(given.id == "given-id");
  CHECK(given.outlet == "Given Outlet");
  CHECK(given.date == "2020-01-02");
  CHECK(given.lang == "en");
  CHECK(given.author == "Given Author");
  CHECK(given.text == "Body.");

  meta.date = "25 Nov 2019";  // not ISO: extraction decides
  CHECK(finish_ok(extractor, "Headline\n\nBody.", meta).date == "2022-11-25");

  // Text that tells no language: the configured default.
  CHECK(finish_ok(extractor, "2022\n\n11 25 1930.").lang == "de");
}

TEST_CASE("ids fall back to the relative path, with the line for JSON Lines") {
  const Extractor extractor{default_config()};
  CHECK(finish_ok(extractor, "Body text.").id == "a.txt");
  const Origin jsonl{"in/b.jsonl", "b.jsonl", "/data/in/b.jsonl", 7};
  CHECK(finish_ok(extractor, "Body text.", {}, jsonl).id == "b.jsonl:7");
  const Origin stdin_origin{"-", "", "", 3};
  CHECK(finish_ok(extractor, "Body text.", {}, stdin_origin).id == "-:3");
}

TEST_CASE("invalid UTF-8 is repaired in text and metadata") {
  const Extractor extractor{default_config()};
  CHECK(repair_utf8("ok \xC3\xA9") == "ok \xC3\xA9");
  CHECK(repair_utf8("bad \xC3\x28 end") == "bad \xEF\xBF\xBD( end");
  CHECK(repair_utf8("\xFF") == "\xEF\xBF\xBD");
  Metadata meta;
  meta.title = "Caf\xE9";
  const Article article = finish_ok(extractor, "Caf\xE9 opens.\n\nIt sells \xFF tea.", meta);
  CHECK(article.title == "Caf\xEF\xBF\xBD");
  CHECK(article.text.find("sells \xEF\xBF\xBD tea") != std::string::npos);
}

TEST_CASE("a headline without a body is an article whose text is its title") {
  const Extractor extractor{default_config()};
  Metadata meta;
  meta.title = "Ferry service suspended";
  // A title from metadata (front matter, catalog, JSON) with nothing else, or with boilerplate
  // only, or with the title repeated as the only line.
  for (const char* body : {"", "\n\n", "Advertisement", "Ferry service suspended\n"}) {
    CAPTURE(body);
    const Article article = finish_ok(extractor, body, meta);
    CHECK(article.title == "Ferry service suspended");
    CHECK(article.text == "Ferry service suspended");
  }
  auto front = extractor.from_text("---\ntitle: Ferry service suspended\n---\n", kOrigin, nullptr);
  REQUIRE_MESSAGE(front.ok(), front.error().message);
  CHECK(front->text == "Ferry service suspended");
  auto catalogued = extractor.from_text(" \n", kOrigin, &meta);
  REQUIRE_MESSAGE(catalogued.ok(), catalogued.error().message);
  CHECK(catalogued->text == "Ferry service suspended");
  auto page = extractor.from_html(
      "<html><head><title>Ferry service suspended</title></head><body><article></article></body></html>",
      Origin{"e.html", "e.html", "", 0}, nullptr);
  REQUIRE_MESSAGE(page.ok(), page.error().message);
  CHECK(page->title == "Ferry service suspended");
  CHECK(page->text == "Ferry service suspended");
}

TEST_CASE("empty and oversized articles are rejected") {
  Config config = default_config();
  config.indexer.max_article_bytes = 100;
  const Extractor extractor{config};
  for (const char* empty : {"", "  \n\n\t", "Advertisement\n\nRead more"}) {
    CAPTURE(empty);
    auto result = extractor.finish({}, empty, kOrigin);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == "empty_article");
    CHECK(result.error().message.rfind("empty article", 0) == 0);
  }
  auto big = extractor.finish({}, std::string(101, 'a'), kOrigin);
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().code == "article_too_large");
  CHECK(big.error().message.find("101 bytes") != std::string::npos);
  CHECK(big.error().message.find("100 bytes") != std::string::npos);
  CHECK(extractor.finish({}, std::string(100, 'a'), kOrigin).ok());
}

TEST_CASE("binary content is rejected, text in any script, with a stray control, is not") {
  const Extractor extractor{default_config()};
  std::string random(200 * 1024, '\0');
  std::uint32_t state = 2463534242u;  // xorshift: the same bytes on every run
  for (char& c : random) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    c = static_cast<char>(state & 0xff);
  }
  const Origin html_origin{"in/a.html", "a.html", "/data/in/a.html", 0};
  const Result<Article> binaries[] = {
      extractor.from_text(random, kOrigin, nullptr),
      extractor.from_html(random, html_origin, nullptr),
      extractor.finish({}, "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\x01\x02"s, kOrigin),
  };
  for (const auto& result : binaries) {
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == "binary_content");
    CHECK(result.error().message.rfind("binary content, not text: ", 0) == 0);
  }
  const std::string long_text(5000, 'a');
  const char* texts[] = {
      // windows-1251 bytes read as UTF-8: unreadable, repaired, but not binary.
      "\xCF\xF0\xE8\xE2\xE5\xF2, \xEC\xE8\xF0! \xCF\xE0\xF0\xEE\xEC \xE8\xE4\xB8\xF2.",
      "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",
      "Colour \x1b[1mbold\x1b[0m text\f next page\v tab\there.",
  };
  for (const char* text : texts) {
    CAPTURE(text);
    CHECK(extractor.finish({}, text, kOrigin).ok());
  }
  CHECK(extractor.finish({}, long_text + '\0' + long_text, kOrigin).ok());
}

TEST_CASE("a metadata date that is not a date is ignored with a warning") {
  const Extractor extractor{default_config()};
  for (const char* date : {"2022-02-30", "99999-01-01", "2022-11-25T10:61", "yesterday"}) {
    CAPTURE(date);
    Metadata meta;
    meta.date = date;
    const Article undated = finish_ok(extractor, "The ferry runs.", meta);
    CHECK(undated.date.empty());
    REQUIRE(undated.warnings.size() == 1);
    CHECK(undated.warnings[0] == "date '" + std::string{date} + "' is not a valid date: ignored");
  }
  Metadata meta;
  meta.date = std::string(500, '9');
  const Article long_date = finish_ok(extractor, "The ferry runs.", meta);
  REQUIRE(long_date.warnings.size() == 1);
  CHECK(long_date.warnings[0].size() < 120);
  meta.date = "2022-11-25T23:30:00-05:00";
  CHECK(finish_ok(extractor, "The ferry runs.", meta).warnings.empty());
}
