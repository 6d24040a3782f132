/// @file test_rejections.cpp
/// How rejected inputs are told: a warning each, a rejects file, and a summary by reason.
#include <doctest/doctest.h>

#include <filesystem>

#include "helpers.h"
#include "index/rejections.h"
#include "support.h"

namespace clippings {
namespace {

using test::TempDir;

TEST_CASE("a rejects file line is path, line, code and reason with tabs and newlines escaped") {
  const struct {
    Rejection rejection;
    const char* line;
  } cases[] = {
      {{"in/feed.jsonl", 12, "invalid_json", "invalid JSON: syntax error"},
       "in/feed.jsonl\t12\tinvalid_json\tinvalid JSON: syntax error"},
      {{"in/empty.txt", 0, "empty_file", "empty file"}, "in/empty.txt\t\tempty_file\tempty file"},
      {{"in/odd\tname.txt", 0, "unreadable", "cannot read: a\\b\nc\rd"},
       "in/odd\\tname.txt\t\tunreadable\tcannot read: a\\\\b\\nc\\rd"},
  };
  for (const auto& c : cases) CHECK(rejects_line(c.rejection) == c.line);
}

TEST_CASE("the summary counts rejections by reason, most frequent first, with a few examples") {
  TempDir dir;
  test::CapturedLog log;
  RejectionReport report{/*log_each=*/false};
  REQUIRE(report.write_to((dir / "rejects.tsv").string()).ok());
  for (int line = 1; line <= 5; ++line) {
    report.add({"feed.jsonl", static_cast<std::size_t>(line), "invalid_json", "invalid JSON: x"});
  }
  report.add({"empty.txt", 0, "empty_file", "empty file"});
  report.finish();
  CHECK(report.count() == 6);
  CHECK(report.has_file("feed.jsonl"));
  CHECK_FALSE(report.has_file("other.txt"));
  const std::string text = log.text();
  CAPTURE(text);
  const std::string expected =
      "warning 6 input(s) rejected, by reason (all of them in " + (dir / "rejects.tsv").string() + "):\n"
      "warning   invalid_json: 5\n"
      "warning     feed.jsonl:1: invalid JSON: x\n"
      "warning     feed.jsonl:2: invalid JSON: x\n"
      "warning     feed.jsonl:3: invalid JSON: x\n"
      "warning   empty_file: 1\n"
      "warning     empty.txt: empty file\n";
  CHECK(text == expected);
  CHECK(test::read_file(dir / "rejects.tsv") ==
        "path\tline\tcode\treason\n"
        "feed.jsonl\t1\tinvalid_json\tinvalid JSON: x\nfeed.jsonl\t2\tinvalid_json\tinvalid JSON: x\n"
        "feed.jsonl\t3\tinvalid_json\tinvalid JSON: x\nfeed.jsonl\t4\tinvalid_json\tinvalid JSON: x\n"
        "feed.jsonl\t5\tinvalid_json\tinvalid JSON: x\nempty.txt\t\tempty_file\tempty file\n");
}

TEST_CASE("each rejection is a warning as it comes when asked, and none is a quiet summary") {
  test::CapturedLog log;
  RejectionReport each{/*log_each=*/true};
  each.add({"a.txt", 0, "empty_file", "empty file"});
  CHECK(log.text() == "warning a.txt: empty file\n");
  RejectionReport none{false};
  none.finish();
  CHECK(log.text() == "warning a.txt: empty file\n");
}

TEST_CASE("a rejects file that cannot be created is an error naming it") {
  TempDir dir;
  RejectionReport report{false};
  auto opened = report.write_to((dir / "no-such-dir/rejects.tsv").string());
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().message.find("no-such-dir/rejects.tsv: cannot write") != std::string::npos);
}

}  // namespace
}  // namespace clippings
