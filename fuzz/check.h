/// @file check.h
/// What the fuzz targets assert, beyond "no crash": a failed check aborts, which libFuzzer
/// reports as a crash with the input that caused it.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <utf8.h>

#include "article.h"
#include "dates.h"

/// Aborts with the condition and the place when `condition` is false.
#define FUZZ_CHECK(condition)                                                          \
  do {                                                                                 \
    if (!(condition)) {                                                                \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)

namespace clippings::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// What every article a reader returns holds: valid UTF-8 everywhere, an id and a text, a
/// date that is a normalised day or nothing.
inline void check_article(const Article& a) {
  for (const std::string* field : {&a.id, &a.title, &a.outlet, &a.date, &a.url, &a.author,
                                   &a.lang, &a.text}) {
    FUZZ_CHECK(utf8::is_valid(field->begin(), field->end()));
  }
  FUZZ_CHECK(!a.id.empty());
  FUZZ_CHECK(!a.text.empty());
  FUZZ_CHECK(a.date.empty() || normalize_date(a.date) == a.date);
}

/// `html` is escaped text with <mark>...</mark> around some of it, nothing else: every '<'
/// opens a mark tag, marks do not nest and are closed, '&' starts one of the five entities
/// escape_html writes, and no quote or '>' is left raw. Returns the text it stands for.
inline std::string check_marked_html(std::string_view html) {
  FUZZ_CHECK(utf8::is_valid(html.begin(), html.end()));
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
  std::string text;
  bool open = false;
  for (std::size_t i = 0; i < html.size();) {
    const std::string_view rest = html.substr(i);
    if (rest.starts_with("<mark>")) {
      FUZZ_CHECK(!open);
      open = true;
      i += 6;
    } else if (rest.starts_with("</mark>")) {
      FUZZ_CHECK(open);
      open = false;
      i += 7;
    } else if (rest.front() == '&') {
      bool known = false;
      for (const auto& [entity, c] : kEntities) {
        if (rest.starts_with(entity)) {
          text += c;
          i += entity.size();
          known = true;
          break;
        }
      }
      FUZZ_CHECK(known);
    } else {
      FUZZ_CHECK(rest.front() != '<' && rest.front() != '>' && rest.front() != '"' &&
                 rest.front() != '\'');
      text += rest.front();
      ++i;
    }
  }
  FUZZ_CHECK(!open);
  return text;
}

}  // namespace clippings::fuzz
