/// @file language.cpp
/// CLD2, rather than libexttextcat (LibreOffice's n-gram ranker, also in Debian): it tells
/// Russian from Ukrainian and Belarusian, Chinese from Japanese, and says when it is unsure,
/// it is several times faster on the same text, and its tables are compiled in.
#include "ingest/language.h"

#include <cstdio>  // compact_lang_det.h uses FILE without including it

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include "text/languages.h"

namespace clippings {
namespace {

/// The longest prefix of `text` of at most `bytes` bytes that does not cut a character.
std::string_view utf8_prefix(std::string_view text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) --bytes;
  return text.substr(0, bytes);
}

}  // namespace

std::string detect_language(std::string_view text, std::string_view hint) {
  const std::string_view sample = utf8_prefix(text, kDetectionBytes);
  CLD2::Language top3[3];
  int percent3[3];
  int text_bytes = 0;
  bool reliable = false;
  const std::string hint_code{hint};
  const CLD2::Language summary = CLD2::ExtDetectLanguageSummary(
      sample.data(), static_cast<int>(sample.size()), /*is_plain_text=*/true, /*tld_hint=*/nullptr,
      CLD2::UNKNOWN_ENCODING, CLD2::GetLanguageFromName(hint_code.c_str()), top3, percent3,
      &text_bytes, &reliable);
  // The language of most of the text. CLD2's summary names the second language instead when
  // the first is English and the second has a sixth of the text or more, taking the English
  // for a web page's menus and footers: in news copy it is the article, quoting someone.
  const CLD2::Language detected = top3[0] != CLD2::UNKNOWN_LANGUAGE ? top3[0] : summary;
  if (detected == CLD2::UNKNOWN_LANGUAGE) return {};
  // CLD2's codes are BCP 47 tags, some withdrawn ("iw"): made ISO 639-1 like any input's.
  std::string code = text::language_code(CLD2::LanguageCode(detected));
  if (reliable || text::written_apart(code, hint)) return code;
  return {};
}

std::string article_language(std::string_view given, std::string_view title,
                             std::string_view text, const std::string& default_language) {
  if (std::string code = text::language_code(given); !code.empty()) return code;
  std::string sample{title};
  sample += '\n';
  sample += utf8_prefix(text, kDetectionBytes);
  if (std::string code = detect_language(sample, default_language); !code.empty()) return code;
  return default_language;
}

}  // namespace clippings
