/// @file test_text_reader.cpp
#include <doctest/doctest.h>

#include "ingest/ingest.h"
#include "support.h"

using namespace clippings;

namespace {
const std::filesystem::path kData = std::filesystem::path{CLIPPINGS_TEST_DATA_DIR} / "ingest";
const Origin kOrigin{"notes/a.md", "a.md", "/data/notes/a.md", 0};
}  // namespace

TEST_CASE("front matter gives metadata and is not body text") {
  const Extractor extractor{default_config()};
  auto article = extractor.from_text(test::read_file(kData / "front_matter.md"), kOrigin, nullptr);
  REQUIRE_MESSAGE(article.ok(), article.error().message);
  CHECK(article->title == "Bridge Reopens: Traffic Flows Again");
  CHECK(article->url == "https://www.rivertonpost.example/local/bridge-reopens/");
  CHECK(article->id == "https://rivertonpost.example/local/bridge-reopens");
  CHECK(article->outlet == "Riverton Post");
  CHECK(article->date == "2020-09-14");
  CHECK(article->author == "Ada Quill, Ben Harrow");
  CHECK(article->lang == "en");
  CHECK(article->text.rfind("Bridge reopening draws a crowd\n\nThe river bridge", 0) == 0);
  CHECK(article->text.find("tags") == std::string::npos);
  CHECK(article->text.find("---") == std::string::npos);
}

TEST_CASE("precedence: front matter, then catalog, then extraction") {
  const Extractor extractor{default_config()};
  Metadata catalog;
  catalog.title = "Catalog Title";
  catalog.outlet = "Catalog Outlet";
  catalog.date = "2019-05-06";
  catalog.author = "Catalog Author";
  const std::string body = "Text Headline\n\nBy Text Author\n\n2018-01-01\n\nBody paragraph.";
  struct Case {
    std::string front;
    const char* title;
    const char* outlet;
    const char* date;
    const char* author;
  } cases[] = {
      {"---\ntitle: Front Title\ndate: 2021-02-03\n---\n", "Front Title", "Catalog Outlet",
       "2021-02-03", "Catalog Author"},
      {"", "Catalog Title", "Catalog Outlet", "2019-05-06", "Catalog Author"},
      {"---\noutlet: Front Outlet\nauthor: Front Author\n---\n", "Catalog Title", "Front Outlet",
       "2019-05-06", "Front Author"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.front);
    auto article = extractor.from_text(c.front + body, kOrigin, &catalog);
    REQUIRE_MESSAGE(article.ok(), article.error().message);
    CHECK(article->title == c.title);
    CHECK(article->outlet == c.outlet);
    CHECK(article->date == c.date);
    CHECK(article->author == c.author);
  }
  auto extracted = extractor.from_text(body, kOrigin, nullptr);
  REQUIRE(extracted.ok());
  CHECK(extracted->title == "Text Headline");
  CHECK(extracted->author == "Text Author");
  CHECK(extracted->date == "2018-01-01");
  CHECK(extracted->outlet.empty());
  CHECK(extracted->text == "Body paragraph.");
}

TEST_CASE("front matter edge cases") {
  const Extractor extractor{default_config()};
  // A leading rule with no closing fence is text, not front matter.
  auto rule = extractor.from_text("---\nJust Text Here\n\nBody.", kOrigin, nullptr);
  REQUIRE(rule.ok());
  CHECK(rule->text.find("---") == 0);
  // CRLF line ends and an empty block.
  auto crlf = extractor.from_text("---\r\ntitle: Windows Title\r\n---\r\nBody text.\r\n", kOrigin,
                                  nullptr);
  REQUIRE(crlf.ok());
  CHECK(crlf->title == "Windows Title");
  CHECK(crlf->text == "Body text.");
  auto empty = extractor.from_text("---\n---\nBody only.", kOrigin, nullptr);
  REQUIRE(empty.ok());
  CHECK(empty->text == "Body only.");
  // Broken YAML is an error with a line number.
  auto broken = extractor.from_text("---\ntitle: ok\nurl: [unclosed\n---\nBody.", kOrigin, nullptr);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().code == "invalid_front_matter");
  CHECK(broken.error().message.rfind("line ", 0) == 0);
  auto scalar = extractor.from_text("---\n- a list\n---\nBody.", kOrigin, nullptr);
  REQUIRE_FALSE(scalar.ok());
  CHECK(scalar.error().code == "invalid_front_matter");
}

TEST_CASE("front matter: deep nesting is an error, alias bombs are not expanded") {
  const Extractor extractor{default_config()};
  const std::size_t depth = 100000;
  for (const std::string& yaml :
       {"title: " + std::string(depth, '[') + std::string(depth, ']'),
        [&] {
          std::string maps = "title: ";
          for (std::size_t i = 0; i < depth; ++i) maps += "{a: ";
          return maps + "x" + std::string(depth, '}');
        }(),
        [&] {
          std::string block = "title:\n";
          for (std::size_t i = 1; i < 5000; ++i) block += std::string(i, ' ') + "- \n";
          return block;
        }()}) {
    auto deep = extractor.from_text("---\n" + yaml + "\n---\nThe ferry runs.", kOrigin, nullptr);
    REQUIRE_FALSE(deep.ok());
    CHECK(deep.error().code == "invalid_front_matter");
    // yaml-cpp's own bound (499 levels in Debian 12's 0.7): the message says it, not "bad file".
    CHECK(deep.error().message.find("nested more than 499 levels deep") != std::string::npos);
  }
  // Each level refers to the one before twice: expanded, 2^40 strings.
  std::string bomb = "a0: &a0 [x, x]\n";
  for (int i = 1; i <= 40; ++i) {
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" +
            std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + "]\n";
  }
  auto bombed = extractor.from_text("---\n" + bomb + "title: *a40\n---\nThe ferry runs.", kOrigin,
                                    nullptr);
  REQUIRE_MESSAGE(bombed.ok(), bombed.error().message);
  CHECK(bombed->text == "The ferry runs.");
}
