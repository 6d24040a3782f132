/// @file test_catalog.cpp
#include <doctest/doctest.h>

#include "ingest/ingest.h"
#include "support.h"

using namespace clippings;

namespace {
const std::filesystem::path kData = std::filesystem::path{CLIPPINGS_TEST_DATA_DIR} / "ingest";
}  // namespace

TEST_CASE("catalog: quoted fields with commas, quotes and newlines, unknown columns ignored") {
  auto catalog = Catalog::load(kData / "catalog_quoted.csv");
  REQUIRE_MESSAGE(catalog.ok(), catalog.error().message);
  CHECK(catalog->size() == 3);
  const Metadata* one = catalog->find(kData / "one.txt");
  REQUIRE(one != nullptr);
  CHECK(one->title == "Council Votes, Then Adjourns");
  CHECK(one->author == "Quill, Ada");
  CHECK(one->outlet == "Riverton Post");
  CHECK(one->date == "2020-09-14");
  CHECK(one->url == "https://rivertonpost.example/one");
  const Metadata* two = catalog->find(kData / "sub" / "two.txt");
  REQUIRE(two != nullptr);
  CHECK(two->title == "A \"quoted\" headline");
  CHECK(two->date.empty());
  const Metadata* three = catalog->find(kData / "three.txt");
  REQUIRE(three != nullptr);
  CHECK(three->title == "Multi-line\ntitle");
  CHECK(catalog->find(kData / "missing.txt") == nullptr);
}

TEST_CASE("catalog: rows are found by relative path, else by a unique file name") {
  const test::TempDir dir;
  auto catalog = Catalog::parse("file,title\na/x.txt,First\nb/x.txt,Second\nc/y.txt,Third\n",
                                "catalog.csv", dir.path());
  REQUIRE(catalog.ok());
  CHECK(catalog->find(dir / "a/x.txt")->title == "First");
  CHECK(catalog->find(dir / "b/./x.txt")->title == "Second");
  CHECK(catalog->find(dir / "elsewhere/y.txt")->title == "Third");  // unique name
  CHECK(catalog->find(dir / "elsewhere/x.txt") == nullptr);         // ambiguous name
  CHECK(catalog->find("/somewhere/else/y.txt")->title == "Third");
}

TEST_CASE("catalog: a bad row is left out and named with its line, the other rows are kept") {
  auto malformed = Catalog::load(kData / "catalog_malformed.csv");
  REQUIRE_MESSAGE(malformed.ok(), malformed.error().message);
  CHECK(malformed->size() == 2);
  CHECK(malformed->find(kData / "one.txt")->title == "Fine row");
  CHECK(malformed->find(kData / "three.txt")->title == "Reached all the same");
  CHECK(malformed->find(kData / "two.txt") == nullptr);
  REQUIRE(malformed->problems().size() == 1);
  CHECK(malformed->problems()[0].line == 3);
  CHECK(malformed->name() == (kData / "catalog_malformed.csv").string());

  struct Case {
    const char* csv;
    std::size_t line;
    const char* message;
    std::vector<const char*> kept;
  } cases[] = {
      {"file,title\na.txt,One\nb.txt,Two,Extra\nc.txt,Three\n", 3,
       "expected 2 fields as in the header, found 3", {"a.txt", "c.txt"}},
      {"file,title\na.txt\nc.txt,Three\n", 2, "expected 2 fields as in the header, found 1", {"c.txt"}},
      {"file,title\n,No file\nc.txt,Three\n", 2, "empty 'file' field", {"c.txt"}},
      {"file,date\na.txt,2022-11-25\nb.txt,25/11/2022\nc.txt,2022-02-30\n", 3,
       "date '25/11/2022' is not YYYY-MM-DD", {"a.txt"}},
      {"file,title\na.txt,One\n./a.txt,Again\n", 3, "'a.txt' is listed twice (first on line 2)", {"a.txt"}},
      {"file,title\na.txt,One\nb.txt,x\"y\nc.txt,Three\n", 3, "", {"a.txt", "c.txt"}},
      // A quote never closed: the lines after its row are read again without it.
      {"file,title\na.txt,\"never closed\nb.txt,Two\nc.txt,Three\n", 2, "unterminated", {"b.txt", "c.txt"}},
      {"file,title\n\"never closed,x\nb.txt,Two\n", 2, "unterminated", {"b.txt"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.csv);
    auto result = Catalog::parse(c.csv, "c.csv", "/tmp");
    REQUIRE_MESSAGE(result.ok(), result.error().message);
    REQUIRE(!result->problems().empty());
    CHECK(result->problems()[0].line == c.line);
    CHECK(result->problems()[0].message.find(c.message) != std::string::npos);
    CHECK(result->size() == c.kept.size());
    for (const char* file : c.kept) CHECK(result->find(std::string{"/tmp/"} + file) != nullptr);
  }
}

TEST_CASE("catalog: without a readable header row the catalog is an error naming the line") {
  struct Case {
    const char* csv;
    const char* message;
  } cases[] = {
      {"", "c.csv:1: empty catalog"},
      {"title,url\nx.txt,y\n", "c.csv:1: the header row has no 'file' column"},
      {"fi\"le,title\nx.txt,y\n", "c.csv:1: "},
  };
  for (const auto& c : cases) {
    CAPTURE(c.csv);
    auto result = Catalog::parse(c.csv, "c.csv", "/tmp");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == "invalid_catalog");
    CHECK(result.error().message.rfind(c.message, 0) == 0);
  }
}

TEST_CASE("catalog: a catalog of unterminated quotes is read in bounded passes") {
  std::string csv = "file,title\n";
  for (int i = 0; i < 5000; ++i) csv += "\"f" + std::to_string(i) + ".txt,x\n";
  auto result = Catalog::parse(csv, "c.csv", "/tmp");
  REQUIRE(result.ok());
  CHECK(result->size() == 0);
  CHECK(result->problems().size() == 101);
  CHECK(result->problems().back().message.find("the rest of the catalog is ignored") !=
        std::string::npos);
}

TEST_CASE("catalog: a byte order mark and CRLF line ends are accepted") {
  auto catalog = Catalog::parse("\xEF\xBB\xBF" "file,title\r\na.txt,One\r\n", "c.csv", "/tmp");
  REQUIRE_MESSAGE(catalog.ok(), catalog.error().message);
  CHECK(catalog->find("/tmp/a.txt")->title == "One");
  CHECK(Catalog::load("/nonexistent/catalog.csv").error().message.find("cannot read") !=
        std::string::npos);
}

TEST_CASE("catalog: columns may use the configured field names, canonical names first") {
  const FieldMap fields = default_config().fields;
  auto catalog = Catalog::parse(
      "file,headline,link,authors,title\na.txt,Alias Title,https://x.example/a,Ann Bee,\n"
      "b.txt,Alias Title,,,Canonical Title\n",
      "c.csv", "/tmp", &fields);
  REQUIRE_MESSAGE(catalog.ok(), catalog.error().message);
  const Metadata* a = catalog->find("/tmp/a.txt");
  REQUIRE(a != nullptr);
  CHECK(a->title == "Alias Title");
  CHECK(a->url == "https://x.example/a");
  CHECK(a->author == "Ann Bee");
  CHECK(catalog->find("/tmp/b.txt")->title == "Canonical Title");
  // Without the field map only the canonical names count.
  auto plain = Catalog::parse("file,headline\na.txt,Alias Title\n", "c.csv", "/tmp");
  REQUIRE(plain.ok());
  CHECK(plain->find("/tmp/a.txt")->title.empty());
}
