/// @file corpus_checks.h
/// What extraction must make of a folder of messy text articles with a catalog.csv: the test
/// corpus (tests/data/corpus) and, when they are there, the seed articles. The same checks run
/// over both, each with its own table of expectations.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "article.h"

namespace clippings::test {

/// Where an article's title comes from.
enum class TitleFrom {
  kHeadline,       ///< a headline line, which leaves the body
  kLead,           ///< the lead paragraph's first sentence, whole; the lead stays in the body
  kShortenedLead,  ///< the same, shortened at a word and ended with "…"
};

struct ExpectedArticle {
  std::string file;
  std::string title;  ///< exact, or for kShortenedLead the start of the title
  TitleFrom title_from;
  std::string outlet;
  std::string date;
  std::string author;
  std::vector<std::string> removed;  ///< lines of the file that must not survive
};

/// The article the extractor makes of `expected.file` in `dir`, with its catalog.csv row.
Article extract_article(const std::filesystem::path& dir, const ExpectedArticle& expected);

/// Title, outlet, date, author, language and a URL id are what `articles` say.
void check_metadata(const std::filesystem::path& dir, const std::vector<ExpectedArticle>& articles);

/// No article text holds any of `gone` nor any of its own `removed` lines.
void check_boilerplate_gone(const std::filesystem::path& dir,
                            const std::vector<ExpectedArticle>& articles,
                            const std::vector<std::string>& gone);

/// Every other line of each file, up to the donation appeal, survives cleaning (and each
/// article has at least `min_paragraphs` of them, so the check cannot pass on nothing).
void check_paragraphs_kept(const std::filesystem::path& dir,
                           const std::vector<ExpectedArticle>& articles,
                           std::size_t min_paragraphs = 5);

}  // namespace clippings::test
