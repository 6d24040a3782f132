/// @file transliteration.cpp
#include "text/transliteration.h"

#include <algorithm>
#include <map>
#include <memory>
#include <stdexcept>

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include "text/folding.h"

namespace clippings::text {
namespace {

/// ISO 639-1 code -> ICU's BGN/PCGN transform for that language's Cyrillic alphabet.
struct Romanization {
  std::string_view lang;
  const char* transform;
};
constexpr Romanization kRomanizations[] = {
    {"ru", "Russian-Latin/BGN"},  {"uk", "Ukrainian-Latin/BGN"}, {"be", "Belarusian-Latin/BGN"},
    {"bg", "Bulgarian-Latin/BGN"}, {"mk", "Macedonian-Latin/BGN"}, {"sr", "Serbian-Latin/BGN"},
    {"kk", "Kazakh-Latin/BGN"},   {"ky", "Kirghiz-Latin/BGN"},  {"mn", "Mongolian-Latin/BGN"},
};

const char* romanization_of(std::string_view lang) {
  for (const auto& r : kRomanizations) {
    if (r.lang == lang) return r.transform;
  }
  return kRomanizations[0].transform;
}

/// A transliterator by ICU id, one per thread and id: ICU's are not to be shared between
/// threads, and making one parses its rules (milliseconds).
icu::Transliterator& transform(const std::string& id) {
  thread_local std::map<std::string, std::unique_ptr<icu::Transliterator>> made;
  auto& slot = made[id];
  if (!slot) {
    UErrorCode status = U_ZERO_ERROR;
    slot.reset(icu::Transliterator::createInstance(icu::UnicodeString::fromUTF8(id),
                                                   UTRANS_FORWARD, status));
    if (U_FAILURE(status)) throw std::runtime_error("ICU transform " + id + ": " + u_errorName(status));
  }
  return *slot;
}

std::string transformed(const std::string& id, std::string_view text) {
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece{text.data(), static_cast<int32_t>(text.size())});
  transform(id).transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

bool ends_with(std::string_view s, std::string_view end) {
  return s.size() > end.size() && s.substr(s.size() - end.size()) == end;
}

bool is_vowel(char c) { return std::string_view{"aeiouy"}.find(c) != std::string_view::npos; }

}  // namespace

bool has_cyrillic(std::string_view text) {
  // U+0400..U+052F are the two-byte sequences led by 0xD0..0xD4.
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0xD0 && byte <= 0xD4;
  });
}

bool is_latin_word(std::string_view word) {
  if (has_cyrillic(word)) return false;
  return std::any_of(word.begin(), word.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
           (byte >= 0xC3 && byte <= 0xC9);  // U+00C0..U+027F: Latin letters with diacritics
  });
}

std::string romanize(std::string_view word, std::string_view lang) {
  // BGN first (its rules know the language's letters), then whatever it left (a Russian ы in
  // a Ukrainian text) by the general rule, then plain ASCII.
  std::string latin = transformed(std::string{romanization_of(lang)} + "; Any-Latin; Latin-ASCII; Lower", word);
  // BGN separates letters that would read as one sound ("т·с", "t·s"): keys do not.
  replace_all(latin, "\u00b7", "");
  std::erase_if(latin, [](char c) { return c == '\'' || c == '"' || c == '`'; });
  return latin;
}

std::string translit_key(std::string_view latin) {
  std::string key{latin};
  std::erase_if(key, [](char c) { return c == '\'' || c == '"' || c == '`'; });
  replace_all(key, "yy", "y");
  replace_all(key, "ye", "e");
  replace_all(key, "iya", "ia");
  for (std::string_view ending : {"iy", "ii", "ij"}) {
    if (ends_with(key, ending) && key.size() > 3) {
      key.replace(key.size() - 2, 2, "y");
      return key;
    }
  }
  if (key.size() > 3 && key.back() == 'i' && !is_vowel(key[key.size() - 2])) key.back() = 'y';
  return key;
}

std::vector<std::string> spelling_variants(std::string_view romanized) {
  std::vector<std::string> variants{std::string{romanized}};
  const auto add = [&variants](std::string v) {
    if (std::find(variants.begin(), variants.end(), v) == variants.end()) variants.push_back(std::move(v));
  };
  for (std::string_view ending : {"iy", "yy"}) {
    if (!ends_with(romanized, ending)) continue;
    const std::string head{romanized.substr(0, romanized.size() - 2)};
    for (std::string_view other : {"y", "i", "ii", "iy", "yy"}) add(head + std::string{other});
  }
  // Each spelling so far, also with "ye" as "e" and "iya" as "ia".
  const std::size_t endings = variants.size();
  for (std::size_t i = 0; i < endings; ++i) {
    for (auto [from, to] : {std::pair{"ye", "e"}, std::pair{"iya", "ia"}}) {
      std::string v = variants[i];
      replace_all(v, from, to);
      add(std::move(v));
    }
  }
  return variants;
}

std::string cyrillize(std::string_view latin) {
  return transformed("Latin-Russian/BGN; Lower", latin);
}

}  // namespace clippings::text
