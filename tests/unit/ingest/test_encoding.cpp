/// @file test_encoding.cpp
/// Input in legacy encodings: byte order marks, declarations, detection, repair.
#include <doctest/doctest.h>

#include "ingest/encoding.h"
#include "ingest/ingest.h"
#include "support.h"

using namespace clippings;

namespace {

const std::filesystem::path kEncodings =
    std::filesystem::path{CLIPPINGS_TEST_DATA_DIR} / "lang" / "encodings";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the charset a page declares, in any of the ways pages declare it") {
  struct Case {
    const char* html;
    const char* charset;
  };
  const Case cases[] = {
      {R"(<meta charset="windows-1251">)", "windows-1251"},
      {R"(<META CHARSET=KOI8-R>)", "koi8-r"},
      {R"(<meta charset='utf-8' />)", "utf-8"},
      {R"(<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">)", "shift_jis"},
      {R"(<meta content="text/html;charset=gb2312" http-equiv="content-type">)", "gb2312"},
      {R"(<meta name="description" content="charset=koi8-r is a word here">)", ""},
      {R"(<title>no declaration</title>)", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.html);
    CHECK(declared_charset(std::string{"<html><head>"} + c.html + "</head>") == c.charset);
  }
  // Only the first 1024 bytes are looked at, as browsers do.
  CHECK(declared_charset(std::string(1100, ' ') + R"(<meta charset="koi8-r">)").empty());
}

TEST_CASE("pages and texts in legacy encodings are read in them") {
  struct Case {
    const char* file;
    bool html;
    const char* encoding;
    const char* how;
    const char* expected;
  };
  const Case cases[] = {
      {"ru-bridge-windows-1251.html", true, "windows-1251", "declared", "Старый мост через Заречку"},
      {"ja-bridge-shift_jis.html", true, "Shift_JIS", "declared", "川辺の古い橋は六月から工事"},
      {"ru-ferry-koi8-r.txt", false, "KOI8-R", "detected", "Паром через Заречку начнёт работу"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const std::string bytes = test::read_file(kEncodings / c.file);
    const Decoded decoded = c.html ? decode_html(bytes) : decode_text(bytes);
    CHECK(decoded.encoding == c.encoding);
    CHECK(decoded.how == c.how);
    CHECK(decoded.replaced == 0);
    CHECK(contains(decoded.text, c.expected));
  }
}

TEST_CASE("byte order marks, valid UTF-8 and what cannot be decoded") {
  const std::string text = "Жёны";
  CHECK(decode_text("\xEF\xBB\xBF" + text).text == text);
  CHECK(decode_text("\xEF\xBB\xBF" + text).how == "byte order mark");
  // "Жёны" in UTF-16LE and UTF-16BE, with their marks.
  CHECK(decode_text(std::string{"\xFF\xFE\x16\x04\x51\x04\x3D\x04\x4B\x04", 10}).text == text);
  CHECK(decode_text(std::string{"\xFE\xFF\x04\x16\x04\x51\x04\x3D\x04\x4B", 10}).text == text);
  // Valid UTF-8 is UTF-8, whatever an old <meta> says.
  const Decoded page = decode_html("<meta charset=\"windows-1251\"><p>" + text + "</p>");
  CHECK(page.how == "valid UTF-8");
  CHECK(contains(page.text, text));
  // A page that says UTF-8 and has a broken byte keeps the rest, with the byte replaced.
  const Decoded broken = decode_html("<meta charset=\"utf-8\"><p>caf\xE9 " + text + "</p>");
  CHECK(broken.replaced == 1);
  CHECK(contains(broken.text, "caf\uFFFD " + text));
  // Bytes not valid in the encoding read are replaced and counted, never dropped: an
  // unassigned pair, and a lead byte cut off at the end.
  const Decoded invalid = decode_html(std::string{"<meta charset=\"shift_jis\"><p>\x82\xa0\x85\x40"} +
                                      "</p>\x82");
  CHECK(invalid.encoding == "Shift_JIS");
  CHECK(contains(invalid.text, "<p>あ\uFFFD</p>\uFFFD"));
  CHECK(invalid.replaced == 2);
}

TEST_CASE("the readers decode before they read: front matter and <title> in windows-1251") {
  const Extractor extractor{default_config()};
  const std::string bytes = test::read_file(kEncodings / "ru-bridge-windows-1251.html");
  auto page = extractor.from_html(bytes, Origin{"p.html", "p.html", "", 0}, nullptr);
  REQUIRE(page.ok());
  CHECK(page->title == "Мост через Заречку закроют на ремонт");
  CHECK(page->outlet == "Заречные новости");
  CHECK(page->lang == "ru");
  // Front matter in KOI8-R: YAML reads it once it is UTF-8.
  const std::string koi8_title = "\xF0\xC1\xD2\xCF\xCD";  // "Паром"
  auto text = extractor.from_text("---\ntitle: " + koi8_title + "\n---\n\xF0\xC1\xD2\xCF\xCD \xC2\xD5\xC4\xC5\xD4 "
                                  "\xC8\xCF\xC4\xC9\xD4\xD8 \xCB\xC1\xD6\xC4\xD9\xC5 \xD0\xCF\xCC\xDE\xC1\xD3\xC1.",
                                  Origin{"t.txt", "t.txt", "", 0}, nullptr);
  REQUIRE(text.ok());
  CHECK(text->title == "Паром");
  CHECK(contains(text->text, "будет ходить каждые полчаса"));
}
