/// @file fuzz_highlight.cpp
/// The highlighter: for any text and terms its output is escaped HTML with well-formed
/// <mark> tags, and highlight() gives back exactly the text it was given.
#include <sstream>

#include <xapian.h>

#include "check.h"
#include "search/highlight.h"

using namespace clippings;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static search::Highlighter highlighter{Xapian::Stem{"en"}};
  static const Xapian::Stem stem{"en"};
  const std::string_view input = fuzz::as_text(data, size);
  if (!utf8::is_valid(input.begin(), input.end())) return 0;  // texts come from the index
  // The first line gives the terms ("word", "prefix*", "two_word_phrase"), the rest is text.
  const std::size_t newline = input.find('\n');
  const std::string_view terms_line = input.substr(0, newline);
  const std::string_view text = newline == std::string_view::npos ? "" : input.substr(newline + 1);
  search::TermSet terms;
  std::istringstream words{std::string{terms_line}};
  for (std::string word; words >> word;) {
    if (word.back() == '*') {
      terms.patterns.push_back(word.substr(0, word.size() - 1));
    } else if (word.find('_') != std::string::npos) {
      std::vector<std::vector<std::string>> phrase;  // per word, the terms it may be
      std::istringstream parts{word};
      for (std::string part; std::getline(parts, part, '_');) phrase.push_back({stem(part)});
      terms.phrases.push_back(std::move(phrase));
    } else {
      terms.words.insert(stem(word));
    }
  }
  FUZZ_CHECK(fuzz::check_marked_html(highlighter.highlight(text, terms)) == text);
  const std::size_t length = terms_line.empty() ? 40 : static_cast<unsigned char>(terms_line[0]);
  fuzz::check_marked_html(highlighter.snippet(text, terms, length));
  return 0;
}
