/// @file test_language.cpp
/// Articles' languages: given, detected, or the default.
#include <doctest/doctest.h>

#include "ingest/ingest.h"
#include "ingest/language.h"
#include "support.h"

using namespace clippings;

TEST_CASE("detection tells languages and scripts apart") {
  struct Case {
    const char* text;
    const char* lang;
  };
  const Case cases[] = {
      {"Жители Заречного района передали губернатору петицию о ремонте старого моста через реку. "
       "Губернатор обещал ответить до конца месяца.", "ru"},
      {"Матері військових зібралися в суботу біля будинку культури. Вони просять про ротацію "
       "своїх синів і про зустріч із командуванням.", "uk"},
      {"我们在东京见面了。来自三个港口的工人代表讨论了罢工以后的工资问题，并同意下个月再次开会。", "zh"},
      {"港の労働者の代表が大阪で会議を開きました。ストライキの後の賃金について話し合いました。", "ja"},
      {"Une vingtaine de mères de soldats se sont réunies samedi au café de la gare. Elles "
       "demandent le retour de leurs fils.", "fr"},
      {"Am Samstag versammelten sich Mütter von Soldaten in der Hauptstraße vor dem Rathaus. Die "
       "Straße war zwei Stunden lang gesperrt.", "de"},
      {"The riverside cafe reopened on Saturday after a winter of repairs, and the terrace has "
       "new tables.", "en"},
      {"ok", ""},  // too short to tell
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(detect_language(c.text, "") == c.lang);
  }
}

TEST_CASE("the input's language wins, then the detected one, then the default") {
  const std::string russian = "Жители Заречного района передали губернатору петицию о ремонте моста.";
  CHECK(article_language("ru-RU", "", russian, "en") == "ru");
  CHECK(article_language("Russian", "", russian, "en") == "ru");
  CHECK(article_language("de", "", russian, "en") == "de");  // the input is believed
  CHECK(article_language("", "", russian, "en") == "ru");
  CHECK(article_language("not a language", "", russian, "en") == "ru");
  CHECK(article_language("", "", "ok", "fr") == "fr");
}

TEST_CASE("an English article quoting a paragraph of German is English") {
  // A quarter of the text in German: CLD2's summary would name German, its byte counts English.
  const std::string text =
      "Several hundred harbor workers marched through the old town of Kessel on Saturday to "
      "protest new shift rules at the container terminal.\n\n"
      "\"Wir wollen nur faire Schichten und mehr Zeit für unsere Familien. Die neuen Regeln sind "
      "für niemanden gut, und wir werden so lange protestieren, bis die Geschäftsführung mit uns "
      "spricht\", said the union's local chairwoman, Petra Lindner, in a speech at the town hall.\n\n"
      "The terminal operator said it needed the extra shifts to clear a backlog of ships waiting "
      "in the estuary, and that the changes would be reviewed in the autumn. The march ended "
      "peacefully at the harbor gates, where speakers called for talks with the operator to "
      "resume next week.";
  CHECK(article_language("", "Harbor workers in Kessel protest new shift rules", text, "en") == "en");
  CHECK(article_language("", "Harbor workers in Kessel protest new shift rules", text, "fr") == "en");
}

TEST_CASE("an untagged article gets the language of its text") {
  const Extractor extractor{default_config()};
  auto article = extractor.from_text(
      "Жители Заречья передали петицию губернатору\n\nЖители Заречного района передали "
      "губернатору петицию о ремонте старого моста через реку.",
      Origin{"a.txt", "a.txt", "", 0}, nullptr);
  REQUIRE(article.ok());
  CHECK(article->lang == "ru");
}
