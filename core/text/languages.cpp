/// @file languages.cpp
#include "text/languages.h"

#include <algorithm>
#include <map>
#include <vector>

#include <unicode/locid.h>
#include <unicode/uloc.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>

#include "text/folding.h"

namespace clippings::text {
namespace {

std::string lower(std::string_view text) {
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece{text.data(), static_cast<int32_t>(text.size())});
  std::string out;
  u.toLower(icu::Locale::getRoot()).toUTF8String(out);
  return out;
}

/// Every two-letter code ICU knows.
std::map<std::string, std::string> two_letter_codes() {
  std::map<std::string, std::string> codes;
  for (const char* const* code = uloc_getISOLanguages(); *code != nullptr; ++code) codes[*code] = *code;
  return codes;
}

/// Two-letter codes by their three-letter codes and their names (lower-cased). Asking ICU for
/// every language's names costs as much as detecting the language of a few hundred articles,
/// so it is done only when an input is not a two-letter code (a detected language is).
std::map<std::string, std::string> codes_by_name() {
  std::map<std::string, std::string> by_name;
  for (const char* const* code = uloc_getISOLanguages(); *code != nullptr; ++code) {
    const icu::Locale locale{*code};
    if (const char* iso3 = locale.getISO3Language(); *iso3 != '\0') by_name[iso3] = *code;
    icu::UnicodeString name;
    std::string utf8;
    locale.getDisplayLanguage(icu::Locale::getEnglish(), name);
    by_name.emplace(lower(name.toUTF8String(utf8)), *code);
    utf8.clear();
    name.remove();
    locale.getDisplayLanguage(locale, name);
    by_name.emplace(lower(name.toUTF8String(utf8)), *code);
  }
  // ISO 639-2's bibliographic codes, which ICU's ISO 639-2 codes (the terminology ones) lack.
  for (const auto& [b, t] : {std::pair{"ger", "de"}, {"fre", "fr"}, {"chi", "zh"}, {"dut", "nl"},
                             {"cze", "cs"}, {"gre", "el"}, {"per", "fa"}, {"rum", "ro"},
                             {"slo", "sk"}, {"alb", "sq"}, {"arm", "hy"}, {"baq", "eu"},
                             {"bur", "my"}, {"geo", "ka"}, {"ice", "is"}, {"mac", "mk"},
                             {"mao", "mi"}, {"may", "ms"}, {"tib", "bo"}, {"wel", "cy"}}) {
    by_name.emplace(b, t);
  }
  return by_name;
}

/// The two-letter code `text` (lower-cased) is or names; "" if none.
std::string find_code(const std::string& text) {
  static const std::map<std::string, std::string> two_letter = two_letter_codes();
  if (auto found = two_letter.find(text); found != two_letter.end()) return found->second;
  static const std::map<std::string, std::string> by_name = codes_by_name();
  if (auto found = by_name.find(text); found != by_name.end()) return found->second;
  return {};
}

}  // namespace

std::string language_code(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return {};
  const std::string lowered = lower(text);
  if (std::string code = find_code(lowered); !code.empty()) return code;
  // A tag: its language subtag, with withdrawn codes replaced ("iw" is "he").
  std::string primary = lowered.substr(0, lowered.find_first_of("-_"));
  if (!is_ascii(primary)) return {};
  const icu::Locale locale = icu::Locale::createCanonical(primary.c_str());
  return find_code(locale.getLanguage());
}

std::string language_name(std::string_view code) {
  const icu::Locale locale{std::string{code}.c_str()};
  icu::UnicodeString name;
  locale.getDisplayLanguage(icu::Locale::getEnglish(), name);
  std::string out;
  name.toUTF8String(out);
  return out.empty() ? std::string{code} : out;
}

namespace {

std::vector<UScriptCode> scripts_of(std::string_view code) {
  UScriptCode found[8];
  UErrorCode status = U_ZERO_ERROR;
  const int32_t n = uscript_getCode(std::string{code}.c_str(), found, 8, &status);
  if (U_FAILURE(status) || n <= 0) return {};
  return {found, found + n};
}

}  // namespace

bool written_apart(std::string_view a, std::string_view b) {
  const auto left = scripts_of(a);
  const auto right = scripts_of(b);
  if (left.empty() || right.empty()) return false;
  for (UScriptCode script : left) {
    if (std::find(right.begin(), right.end(), script) != right.end()) return false;
  }
  return true;
}

bool is_right_to_left(std::string_view code) {
  return icu::Locale{std::string{code}.c_str()}.isRightToLeft();
}

}  // namespace clippings::text
