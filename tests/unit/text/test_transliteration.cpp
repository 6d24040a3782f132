/// @file test_transliteration.cpp
/// Romanization, keys and the spelling variants English-language news uses.
#include <doctest/doctest.h>

#include <algorithm>

#include "text/transliteration.h"

using namespace clippings::text;

TEST_CASE("Cyrillic words in BGN/PCGN letters, as English news spells them") {
  struct Case {
    const char* word;
    const char* lang;
    const char* latin;
  };
  const Case cases[] = {
      {"цуканова", "ru", "tsukanova"},
      {"путь", "ru", "put"},         // the soft sign is dropped
      {"домой", "ru", "domoy"},
      {"путин", "ru", "putin"},
      {"навальный", "ru", "navalnyy"},
      {"объявление", "ru", "obyavleniye"},  // the hard sign too
      {"щукин", "ru", "shchukin"},
      {"детский", "ru", "detskiy"},          // no middle dot between т and с
      {"київ", "uk", "kyyiv"},               // Ukrainian letters by Ukrainian rules
      {"путин", "uk", "putyn"},
      {"ўладзімір", "be", "wladzimir"},
      {"жанна", "xx", "zhanna"},             // an unknown language: Russian's scheme
      {"tsukanova", "ru", "tsukanova"},      // Latin letters stay
  };
  for (const auto& c : cases) {
    CAPTURE(c.word);
    CHECK(romanize(c.word, c.lang) == c.latin);
  }
}

TEST_CASE("spellings of one name share a key") {
  struct Case {
    const char* a;
    const char* b;
  };
  const Case same[] = {
      {"dmitriy", "dmitry"}, {"dmitrii", "dmitry"},  {"dmitri", "dmitry"},
      {"yevgeny", "evgeny"}, {"kyyiv", "kyiv"},       {"mariya", "maria"},
      {"naval'nyy", "navalny"}, {"zelenskyy", "zelensky"},
  };
  for (const auto& c : same) {
    CAPTURE(c.a);
    CHECK(translit_key(c.a) == translit_key(c.b));
  }
  CHECK(translit_key("putin") == "putin");
  CHECK(translit_key("tsukanova") == "tsukanova");
  CHECK(translit_key("putin") != translit_key("puton"));
}

TEST_CASE("spelling variants cover the usual endings, the word first") {
  const auto has = [](const std::vector<std::string>& v, const char* s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  const auto navalny = spelling_variants("navalnyy");
  CHECK(navalny.front() == "navalnyy");
  CHECK(has(navalny, "navalny"));
  CHECK(has(navalny, "navalniy"));
  const auto dmitriy = spelling_variants("dmitriy");
  CHECK(has(dmitriy, "dmitry"));
  CHECK(has(dmitriy, "dmitri"));
  CHECK(has(spelling_variants("yevgeniy"), "evgeny"));
  CHECK(has(spelling_variants("mariya"), "maria"));
  CHECK(spelling_variants("putin") == std::vector<std::string>{"putin"});
  CHECK(spelling_variants("dostoyevskiy").size() <= 12);
}

TEST_CASE("Latin words read back into Cyrillic for the Russian stemmer") {
  CHECK(cyrillize("tsukanova") == "цуканова");
  CHECK(cyrillize("domoy") == "домой");
  CHECK(cyrillize("putin") == "путин");
}

TEST_CASE("scripts of words") {
  CHECK(has_cyrillic("путин"));
  CHECK(has_cyrillic("iPhone-ом"));
  CHECK_FALSE(has_cyrillic("putin"));
  CHECK(is_latin_word("putin"));
  CHECK(is_latin_word("café"));
  CHECK_FALSE(is_latin_word("путин"));
  CHECK_FALSE(is_latin_word("2022"));
  CHECK_FALSE(is_latin_word("东京"));
}
