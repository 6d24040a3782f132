/// @file folding.cpp
#include "text/folding.h"

#include <algorithm>
#include <memory>

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>

namespace clippings::text {
namespace {

constexpr UChar32 kCyrillicSmallIo = 0x0451;  // ё
constexpr UChar32 kCyrillicSmallIe = 0x0435;  // е

const icu::Normalizer2& normalizer(UNormalization2Mode mode, const char* name) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* instance = icu::Normalizer2::getInstance(nullptr, name, mode, status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string{"ICU normaliser "} + name + ": " + u_errorName(status));
  return *instance;
}

std::string to_utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

/// ICU's Latin-ASCII transform. Transliterators are not to be shared between threads: one per
/// thread, made on first use.
const icu::Transliterator& latin_ascii() {
  thread_local std::unique_ptr<icu::Transliterator> transform = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> made{
        icu::Transliterator::createInstance("Latin-ASCII", UTRANS_FORWARD, status)};
    if (U_FAILURE(status)) throw std::runtime_error(std::string{"ICU Latin-ASCII: "} + u_errorName(status));
    return made;
  }();
  return *transform;
}

bool folds_marks(UScriptCode script) { return script == USCRIPT_LATIN || script == USCRIPT_GREEK; }

}  // namespace

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool is_cjk(char32_t p) {
  struct Range {
    char32_t first, last;
  };
  static constexpr Range kRanges[] = {
      {0x2E80, 0x2FDF}, {0x2FF0, 0x9FFF}, {0xA700, 0xA71F}, {0xAC00, 0xD7AF},
      {0xF900, 0xFAFF}, {0xFE30, 0xFE4F}, {0xFF00, 0xFFEF}, {0x20000, 0x2A6DF},
      {0x2F800, 0x2FA1F},
  };
  if (p < 0x2E80) return false;
  return std::any_of(std::begin(kRanges), std::end(kRanges),
                     [p](const Range& r) { return p >= r.first && p <= r.last; });
}

bool starts_cjk(std::string_view word) {
  if (word.empty() || static_cast<unsigned char>(word[0]) < 0xE2) return false;
  UChar32 c = 0;
  int32_t i = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(word.data()), i, static_cast<int32_t>(word.size()), c);
  return c > 0 && is_cjk(static_cast<char32_t>(c));
}

bool has_cjk(std::string_view text) {
  // Every CJK character is led by a byte of 0xE2 or more, which English text has only in its
  // quotes and dashes: the few such bytes are all that is decoded.
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) >= 0xE2 && starts_cjk(text.substr(i))) return true;
  }
  return false;
}

std::string nfc(std::string text) {
  const icu::Normalizer2& form = normalizer(UNORM2_COMPOSE, "nfc");
  UErrorCode status = U_ZERO_ERROR;
  const icu::StringPiece bytes{text.data(), static_cast<int32_t>(text.size())};
  // Most text is already composed: checking the UTF-8 as it is costs less than converting
  // every article to UTF-16 to check it there, and the text is returned without a copy.
  if (form.isNormalizedUTF8(bytes, status) && U_SUCCESS(status)) return text;
  std::string composed;
  icu::StringByteSink<std::string> sink{&composed, static_cast<int32_t>(text.size())};
  status = U_ZERO_ERROR;
  form.normalizeUTF8(0, bytes, sink, nullptr, status);
  return composed;
}

std::string stem_form(std::string_view word) {
  if (is_ascii(word)) return std::string{word};
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString folded = normalizer(UNORM2_COMPOSE, "nfkc_cf").normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece{word.data(), static_cast<int32_t>(word.size())}),
      status);
  folded.findAndReplace(icu::UnicodeString{kCyrillicSmallIo}, icu::UnicodeString{kCyrillicSmallIe});
  return to_utf8(folded);
}

std::string accent_fold(std::string_view term) {
  if (is_ascii(term)) return std::string{term};
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString decomposed = normalizer(UNORM2_DECOMPOSE, "nfc").normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece{term.data(), static_cast<int32_t>(term.size())}),
      status);
  icu::UnicodeString kept;
  UScriptCode base = USCRIPT_COMMON;
  bool latin_left = false;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) {
      if (!folds_marks(base)) kept.append(c);
      continue;
    }
    status = U_ZERO_ERROR;
    base = uscript_getScript(c, &status);
    latin_left |= c >= 0x80 && base == USCRIPT_LATIN;
    kept.append(c);
  }
  status = U_ZERO_ERROR;
  icu::UnicodeString composed = normalizer(UNORM2_COMPOSE, "nfc").normalize(kept, status);
  // Letters with no decomposition: ø, ł, đ, æ, œ, þ, ı...
  if (latin_left) latin_ascii().transliterate(composed);
  return to_utf8(composed);
}

}  // namespace clippings::text
