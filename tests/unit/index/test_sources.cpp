/// @file test_sources.cpp
/// Walking SOURCE arguments: order, hidden files, catalogs, unsupported types, stdin.
#include <doctest/doctest.h>

#include "index/sources.h"
#include "support.h"

namespace clippings {
namespace {

using test::TempDir;
using test::write_file;

std::vector<std::string> relative_paths(const SourcePlan& plan) {
  std::vector<std::string> out;
  for (const auto& input : plan.inputs) out.push_back(input.relative_path);
  return out;
}

TEST_CASE("a directory is walked recursively in sorted order hidden entries and catalogs skipped") {
  TempDir dir;
  write_file(dir / "b.txt", "b");
  write_file(dir / "a.html", "a");
  write_file(dir / "sub/z.jsonl", "{}\n");
  write_file(dir / "sub/c.md", "c");
  write_file(dir / ".hidden.txt", "h");
  write_file(dir / ".git/config.txt", "g");
  write_file(dir / "catalog.csv", "file,url\n");
  write_file(dir / "sub/catalog.csv", "file,url\n");

  auto plan = plan_sources({dir.path().string()});
  REQUIRE(plan.ok());
  CHECK(relative_paths(*plan) == std::vector<std::string>{"a.html", "b.txt", "sub/c.md", "sub/z.jsonl"});
  CHECK(plan->unsupported.empty());
  CHECK(plan->total_bytes == 1 + 1 + 1 + 3);
  CHECK_FALSE(plan->reads_stdin);
  REQUIRE(plan->roots.size() == 1);
  CHECK(plan->roots[0].is_absolute());
}

TEST_CASE("files of unsupported types are listed as skipped not dropped") {
  TempDir dir;
  write_file(dir / "notes.pdf", "%PDF");
  write_file(dir / "story.txt", "story");
  write_file(dir / "data/export.csv", "a,b\n");

  auto plan = plan_sources({dir.path().string()});
  REQUIRE(plan.ok());
  CHECK(relative_paths(*plan) == std::vector<std::string>{"story.txt"});
  REQUIRE(plan->unsupported.size() == 2);
  CHECK(plan->unsupported[0].filename() == "export.csv");
  CHECK(plan->unsupported[1].filename() == "notes.pdf");
}

TEST_CASE("formats follow the extension case-insensitively") {
  TempDir dir;
  const struct {
    const char* name;
    InputFormat format;
  } cases[] = {
      {"a.TXT", InputFormat::kText},     {"b.md", InputFormat::kText},
      {"c.htm", InputFormat::kHtml},     {"d.HTML", InputFormat::kHtml},
      {"e.ndjson", InputFormat::kJsonLines}, {"f.jsonl", InputFormat::kJsonLines},
  };
  for (const auto& c : cases) write_file(dir / c.name, "x");
  auto plan = plan_sources({dir.path().string()});
  REQUIRE(plan.ok());
  REQUIRE(plan->inputs.size() == std::size(cases));
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    CAPTURE(cases[i].name);
    CHECK(plan->inputs[i].path.filename() == cases[i].name);
    CHECK(plan->inputs[i].format == cases[i].format);
  }
}

TEST_CASE("a file SOURCE is taken as given relative to its own directory") {
  TempDir dir;
  write_file(dir / "one/story.txt", "story");
  auto plan = plan_sources({(dir / "one/story.txt").string()});
  REQUIRE(plan.ok());
  REQUIRE(plan->inputs.size() == 1);
  CHECK(plan->inputs[0].relative_path == "story.txt");
  CHECK(plan->inputs[0].root == dir / "one");
}

TEST_CASE("- is standard input in argument order") {
  TempDir dir;
  write_file(dir / "a.txt", "a");
  auto plan = plan_sources({"-", dir.path().string()});
  REQUIRE(plan.ok());
  REQUIRE(plan->inputs.size() == 2);
  CHECK(plan->inputs[0].is_stdin());
  CHECK(plan->inputs[0].format == InputFormat::kJsonLines);
  CHECK(plan->reads_stdin);
}

TEST_CASE("a SOURCE that does not exist is an error naming it") {
  TempDir dir;
  const std::string missing = (dir / "missing").string();
  auto plan = plan_sources({missing});
  REQUIRE_FALSE(plan.ok());
  CHECK(plan.error().message.find(missing) != std::string::npos);
}

}  // namespace
}  // namespace clippings
