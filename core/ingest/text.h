/// @file text.h
/// Line-level text functions of the extractor: whitespace clean-up and the heuristics that tell
/// a headline, a byline or a dateline from body text. Pure functions, no regular expressions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clippings::text {

/// Splits `text` into trimmed lines with every whitespace run (tabs, no-break and other
/// Unicode spaces) collapsed to one space and zero-width characters removed. "" marks a
/// paragraph break; runs of them are collapsed and none lead or trail.
std::vector<std::string> clean_lines(std::string_view text);

/// Joins lines back: a single "\n" inside a paragraph, "\n\n" between paragraphs.
std::string join_lines(const std::vector<std::string>& lines);

/// Number of code points in UTF-8 text.
std::size_t length_utf8(std::string_view text);

/// True for a line that reads as a headline: short, not ending like a sentence or a clause,
/// not starting in lower case.
bool is_headline(std::string_view line);

/// The first sentence of a paragraph as a title, shortened at a word boundary to about
/// `max_chars` code points with "…".
std::string sentence_title(std::string_view paragraph, std::size_t max_chars = 120);

/// The author named by a byline ("By Jane Doe", "Of: Jane Doe"); nullopt for other lines.
std::optional<std::string> byline_author(std::string_view line);

/// True for a line that only gives a date ("date 2022-11-25 Home page politics",
/// "Published: 2022-11-25T10:00"): metadata, not body text.
bool is_dateline(std::string_view line);

/// The first valid ISO date (YYYY-MM-DD, a time may follow) in `line`, as "YYYY-MM-DD".
std::optional<std::string> iso_date_in(std::string_view line);

/// ASCII-case-insensitive equality.
bool equals_ignoring_case(std::string_view a, std::string_view b);

}  // namespace clippings::text
