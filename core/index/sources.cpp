/// @file sources.cpp
#include "index/sources.h"

#include <algorithm>
#include <system_error>

namespace clippings {
namespace fs = std::filesystem;

namespace {

bool is_hidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name.front() == '.';
}

fs::path absolute_path(const fs::path& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  return (ec ? path : absolute).lexically_normal();
}

void add_file(SourcePlan& plan, const fs::path& path, const fs::path& root) {
  SourceInput input;
  input.path = path;
  input.root = root;
  input.relative_path = path.lexically_relative(root).generic_string();
  if (input.relative_path.empty()) input.relative_path = path.filename().generic_string();
  input.format = format_of(path);
  if (input.format == InputFormat::kUnsupported) {
    plan.unsupported.push_back(path);
    return;
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
    input.size = static_cast<std::uintmax_t>(info.st_size);
    input.mtime_ns = mtime_ns_of(info);
  }
  plan.total_bytes += input.size;
  plan.inputs.push_back(std::move(input));
}

// Entries of one directory, sorted by name so that runs are reproducible.
std::vector<fs::directory_entry> sorted_entries(const fs::path& dir, std::error_code& ec) {
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it{dir, ec}, end; !ec && it != end; it.increment(ec)) {
    entries.push_back(*it);
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
  return entries;
}

Result<bool> walk(SourcePlan& plan, const fs::path& dir, const fs::path& root, int depth) {
  // Symlinked directories may form cycles; a bound on depth keeps the walk finite.
  constexpr int kMaxDepth = 64;
  if (depth > kMaxDepth) {
    return Error{500, "source_too_deep", dir.string() + ": directories nested too deeply", {}};
  }
  std::error_code ec;
  const auto entries = sorted_entries(dir, ec);
  if (ec) return Error{500, "source_unreadable", dir.string() + ": " + ec.message(), {}};
  for (const auto& entry : entries) {
    const fs::path& path = entry.path();
    if (is_hidden(path)) continue;
    std::error_code type_ec;
    if (entry.is_directory(type_ec)) {
      auto walked = walk(plan, path, root, depth + 1);
      if (!walked) return walked;
    } else if (path.filename() != kCatalogFileName) {
      // Anything else, including dangling links, is an input: failures to read it are reported.
      add_file(plan, path, root);
    }
  }
  return true;
}

}  // namespace

std::int64_t mtime_ns_of(const struct stat& info) {
  return static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec;
}

Result<SourcePlan> plan_sources(const std::vector<std::string>& sources) {
  SourcePlan plan;
  for (const auto& source : sources) {
    if (source == "-") {
      SourceInput input;
      input.path = "-";
      input.format = InputFormat::kJsonLines;
      plan.inputs.push_back(std::move(input));
      plan.reads_stdin = true;
      continue;
    }
    const fs::path path{source};
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (!fs::exists(status)) {
      return Error{400, "no_such_source", source + ": no such file or directory", "SOURCE"};
    }
    plan.roots.push_back(absolute_path(path));
    if (fs::is_directory(status)) {
      auto walked = walk(plan, path, path, 0);
      if (!walked) return walked.error();
    } else {
      add_file(plan, path, path.parent_path());
    }
  }
  return plan;
}

}  // namespace clippings
