/// @file language.h
/// The language of an article: the one its input names, else the one its text is in.
#pragma once

#include <string>
#include <string_view>

namespace clippings {

/// How many bytes of an article the detector reads: enough to tell a language reliably (on
/// the benchmark corpus, the answer for the whole text), and it costs 50 us an article
/// where the whole text cost 350 (docs/BENCHMARKS.md).
inline constexpr std::size_t kDetectionBytes = 1024;

/// The language `text` is written in, by Google's Compact Language Detector 2 (CLD2), as an
/// ISO 639-1 code; "" when it cannot tell. `hint` (a code, may be empty) is the language to
/// prefer when the text leaves room for doubt: CLD2's guess for a short text, which it does
/// not call reliable, is taken only when the hint is written in another script (two Russian
/// sentences are not English, however unsure the detector is of them).
std::string detect_language(std::string_view text, std::string_view hint);

/// An article's language: the one its input gives (front matter, catalog, JSON field,
/// <html lang>), as text::language_code reads it; else the one detected in its title and
/// text; else `default_language`.
std::string article_language(std::string_view given, std::string_view title,
                             std::string_view text, const std::string& default_language);

}  // namespace clippings
