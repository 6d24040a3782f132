/// @file test_article.cpp
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "article.h"

using namespace clippings;

namespace {

Article full_article() {
  Article a;
  a.id = "valley-wire-0042";
  a.title = "Ferry strike ends – “for now”";
  a.outlet = "Valley Wire";
  a.date = "2024-03-09";
  a.url = "https://valleywire.example/ferry";
  a.author = "Ana Ortiz";
  a.lang = "en";
  // Longer than 16,383 bytes: its length takes three bytes. A NUL and a '{' are just bytes.
  a.text = std::string(20000, 'x') + std::string{"\0{\n\n", 4} + "Ålesund";
  a.source = "exports/wire.jsonl:7";
  a.source_file = "/data/exports/wire.jsonl";
  return a;
}

void check_same(const Article& got, const Article& want) {
  CHECK(got.id == want.id);
  CHECK(got.title == want.title);
  CHECK(got.outlet == want.outlet);
  CHECK(got.date == want.date);
  CHECK(got.url == want.url);
  CHECK(got.author == want.author);
  CHECK(got.lang == want.lang);
  CHECK(got.text == want.text);
  CHECK(got.source == want.source);
  CHECK(got.source_file == want.source_file);
}

}  // namespace

TEST_CASE("stored data gives back every field, empty ones included") {
  const Article a = full_article();
  const std::string stored = to_stored_data(a);
  CHECK(stored.front() == '\x02');            // compressed,
  CHECK(stored.size() < a.text.size() / 10);  // and 20,000 x's compress well
  check_same(from_stored_data(stored), a);

  Article sparse;
  sparse.id = "only-an-id";
  sparse.text = std::string(200, 'y');  // a two-byte length
  check_same(from_stored_data(to_stored_data(sparse)), sparse);
  check_same(from_stored_data(to_stored_data(Article{})), Article{});

  Article tiny;
  tiny.id = "7";
  tiny.title = "Ok";
  const std::string plain = to_stored_data(tiny);
  CHECK(plain.front() == '\x01');  // a frame would be longer than the fields themselves
  check_same(from_stored_data(plain), tiny);
}

TEST_CASE("stored data of older databases, a JSON object, still reads") {
  const Article a = full_article();
  const nlohmann::json old = {{"id", a.id},     {"title", a.title}, {"outlet", a.outlet},
                              {"date", a.date}, {"url", a.url},     {"author", a.author},
                              {"lang", a.lang}, {"text", a.text},   {"source", a.source},
                              {"source_file", a.source_file}};
  check_same(from_stored_data(old.dump()), a);
  CHECK(from_stored_data(R"({"id":"x"})").title.empty());  // a missing key is an empty field
}

TEST_CASE("corrupt stored data is an error, not a half-read article") {
  const auto rejects = [](const std::string& data, const std::string& why) {
    CAPTURE(why);
    CHECK_THROWS_WITH_AS(from_stored_data(data), ("corrupt document data: " + why).c_str(),
                         std::runtime_error);
  };
  rejects("", "unknown format");
  rejects("\x03", "unknown format");

  Article tiny;
  tiny.id = "7";
  tiny.source_file = "/in.txt";
  const std::string plain = to_stored_data(tiny);
  REQUIRE(plain.front() == '\x01');
  rejects(plain.substr(0, plain.size() - 1), "a field runs past the end");
  rejects(plain + "z", "bytes after the last field");
  rejects(plain.substr(0, 1), "a field length is cut short");
  rejects("\x01" + std::string(10, '\xff'), "a field length is too long");

  const std::string compressed = to_stored_data(full_article());
  REQUIRE(compressed.front() == '\x02');
  rejects("\x02" + plain.substr(1), "not a compressed frame");
  rejects(compressed.substr(0, compressed.size() - 1), "the compressed frame is damaged");
  rejects(compressed + "z", "the compressed frame is damaged");
  std::string flipped = compressed;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x5a);
  rejects(flipped, "the compressed frame is damaged");  // the frame's checksum
}
