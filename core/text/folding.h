/// @file folding.h
/// Unicode normalisation and folding of words, with ICU: what makes "Жёны" and "жены", "ＡＢＣ"
/// and "abc", "café" and "cafe" meet in the index.
///
/// Two levels, because they cost differently:
///  - stem_form(): what every word goes through before its stemmer. Lossless for search:
///    NFKC with full case folding (ß→ss, ς→σ, full-width letters, ligatures) and Cyrillic ё as
///    е (Russian writes the dots optionally; the Russian stemmer only knows е).
///  - accent_fold(): diacritics removed from Latin and Greek letters ("mères"→"meres"),
///    letters without a decomposition mapped by ICU's Latin-ASCII ("ø"→"o", "æ"→"ae"). Lossy, so
///    it makes a second term beside the word's own (schema::kPrefixFolded), never replaces it.
/// Diacritics of other scripts are letters of their own (Cyrillic й, ї; Devanagari vowel signs)
/// and stay.
#pragma once

#include <string>
#include <string_view>

namespace clippings::text {

/// Whether every byte is ASCII.
bool is_ascii(std::string_view text);

/// Whether Xapian's CJK n-gram tokenizer (FLAG_CJK_NGRAM) cuts `ch` out of a word as a
/// character of its own: Han, kana, Hangul and their punctuation and compatibility forms.
/// The same ranges as Xapian 1.4's (tests/unit/text checks them against its TermGenerator),
/// so that highlighting splits text where indexing did.
bool is_cjk(char32_t ch);

/// Whether `word` starts with a CJK character.
bool starts_cjk(std::string_view word);

/// Whether `text` has a CJK character anywhere.
bool has_cjk(std::string_view text);

/// `text` in Unicode normalisation form C (composed), as articles are stored: decomposed
/// input ("e" + U+0301) then matches what the keyboard types ("é"). Invalid UTF-8 must have
/// been repaired before.
std::string nfc(std::string text);

/// A lower-cased word as its stemmer should see it (see the file comment). ASCII comes back
/// as it is.
std::string stem_form(std::string_view word);

/// `term` without Latin and Greek diacritics (see the file comment). ASCII comes back as it is.
std::string accent_fold(std::string_view term);

}  // namespace clippings::text
