/// @file corpus_checks.cpp
#include "corpus_checks.h"

#include <doctest/doctest.h>

#include <set>

#include "ingest/ingest.h"
#include "ingest/text.h"
#include "support.h"

namespace clippings::test {

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

constexpr std::string_view kEllipsis = "\u2026";

}  // namespace

Article extract_article(const std::filesystem::path& dir, const ExpectedArticle& expected) {
  static const Extractor extractor{default_config()};
  auto catalog = Catalog::load(dir / "catalog.csv");
  REQUIRE_MESSAGE(catalog.ok(), catalog.error().message);
  const auto path = dir / expected.file;
  const Metadata* row = catalog->find(path);
  REQUIRE_MESSAGE(row != nullptr, "no catalog row for " << expected.file);
  auto article = extractor.from_text(read_file(path),
                                     Origin{path.string(), expected.file, path.string(), 0}, row);
  REQUIRE_MESSAGE(article.ok(), article.error().message);
  return *article;
}

void check_metadata(const std::filesystem::path& dir, const std::vector<ExpectedArticle>& articles) {
  for (const auto& expected : articles) {
    CAPTURE(expected.file);
    const Article article = extract_article(dir, expected);
    switch (expected.title_from) {
      case TitleFrom::kHeadline:
        CHECK(article.title == expected.title);
        // A headline taken from the text leaves the body.
        CHECK_FALSE(contains(article.text, article.title));
        break;
      case TitleFrom::kLead:
        CHECK(article.title == expected.title);
        CHECK(article.text.starts_with(article.title));
        break;
      case TitleFrom::kShortenedLead:
        CHECK(article.title.starts_with(expected.title));
        CHECK(article.title.size() > expected.title.size());
        CHECK(text::length_utf8(article.title) <= 121);
        CHECK(article.title.ends_with(kEllipsis));
        CHECK(article.text.starts_with(
            article.title.substr(0, article.title.size() - kEllipsis.size())));
        break;
    }
    CHECK(article.outlet == expected.outlet);
    CHECK(article.date == expected.date);
    CHECK(article.author == expected.author);
    CHECK(article.lang == "en");
    CHECK(article.id.starts_with("https://"));
  }
}

void check_boilerplate_gone(const std::filesystem::path& dir,
                            const std::vector<ExpectedArticle>& articles,
                            const std::vector<std::string>& gone) {
  for (const auto& expected : articles) {
    CAPTURE(expected.file);
    const Article article = extract_article(dir, expected);
    for (const auto& part : gone) {
      CAPTURE(part);
      CHECK_FALSE(contains(article.text, part));
    }
    for (const auto& line : expected.removed) {
      CAPTURE(line);
      CHECK_FALSE(contains(article.text, line));
    }
  }
}

void check_paragraphs_kept(const std::filesystem::path& dir,
                           const std::vector<ExpectedArticle>& articles,
                           std::size_t min_paragraphs) {
  for (const auto& expected : articles) {
    CAPTURE(expected.file);
    const Article article = extract_article(dir, expected);
    const std::set<std::string> removed(expected.removed.begin(), expected.removed.end());
    std::size_t checked = 0;
    for (const auto& line : text::clean_lines(read_file(dir / expected.file))) {
      if (contains(line, "small favor")) break;  // the appeal runs to the end of the text
      if (line.empty() || removed.count(line) || line == article.title) continue;
      CAPTURE(line);
      CHECK(contains(article.text, line));
      ++checked;
    }
    CHECK(checked >= min_paragraphs);
  }
}

}  // namespace clippings::test
