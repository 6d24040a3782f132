/// @file test_languages.cpp
#include <doctest/doctest.h>

#include "text/languages.h"

using namespace clippings::text;

TEST_CASE("language codes from what inputs call a language") {
  struct Case {
    const char* given;
    const char* code;
  };
  const Case cases[] = {
      {"ru", "ru"},       {"RU", "ru"},          {"ru-RU", "ru"},   {"en_GB", "en"},
      {"zh-Hant", "zh"},  {"sr-Latn", "sr"},     {"rus", "ru"},     {"ger", "de"},
      {"deu", "de"},      {"iw", "he"},          {"in", "id"},      {"Russian", "ru"},
      {"русский", "ru"},  {"  French ", "fr"},   {"Deutsch", "de"}, {"", ""},
      {"xx", ""},         {"not a language", ""}, {"english", "en"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.given);
    CHECK(language_code(c.given) == c.code);
  }
}

TEST_CASE("names and directions") {
  CHECK(language_name("ru") == "Russian");
  CHECK(language_name("zh") == "Chinese");
  CHECK(is_right_to_left("ar"));
  CHECK(is_right_to_left("he"));
  CHECK_FALSE(is_right_to_left("ru"));
  CHECK_FALSE(is_right_to_left("en"));
}
