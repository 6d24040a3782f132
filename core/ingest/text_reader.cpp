/// @file text_reader.cpp
/// Plain text and Markdown files, with optional YAML front matter.
#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "ingest/encoding.h"
#include "ingest/ingest.h"

namespace clippings {
namespace {

struct FrontMatter {
  Metadata meta;
  std::string_view body;
};

/// The line starting at `pos` (without "\r\n"/"\n") and the position after it.
std::pair<std::string_view, std::size_t> line_at(std::string_view text, std::size_t pos) {
  std::size_t end = text.find('\n', pos);
  std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
  std::string_view line = text.substr(pos, (end == std::string_view::npos ? text.size() : end) - pos);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return {line, next};
}

bool is_fence(std::string_view line, bool closing) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return line == "---" || (closing && line == "...");
}

/// A scalar, or a list of scalars joined with ", " (several authors).
std::string scalar_text(const YAML::Node& node) {
  if (node.IsScalar()) return node.as<std::string>();
  if (!node.IsSequence()) return "";
  std::string joined;
  for (const auto& item : node) {
    if (!item.IsScalar()) continue;
    if (!joined.empty()) joined += ", ";
    joined += item.as<std::string>();
  }
  return joined;
}

/// Splits off a leading "---" ... "---" block; the text is unchanged when there is none.
Result<FrontMatter> split_front_matter(std::string_view content) {
  FrontMatter result{{}, content};
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  auto [first, pos] = line_at(content, 0);
  if (!is_fence(first, false)) return result;
  const std::size_t yaml_start = pos;
  std::size_t yaml_end = std::string_view::npos;
  while (pos < content.size()) {
    auto [line, next] = line_at(content, pos);
    if (is_fence(line, true)) {
      yaml_end = pos;
      pos = next;
      break;
    }
    pos = next;
  }
  if (yaml_end == std::string_view::npos) return result;  // a rule, not front matter
  YAML::Node root;
  try {
    root = YAML::Load(std::string{content.substr(yaml_start, yaml_end - yaml_start)});
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp stops at its own bound (500 levels in 0.7), with the message "bad file".
    return Error{400, "invalid_front_matter",
                 fmt::format("line {}: invalid front matter: nested more than {} levels deep",
                             e.mark.line + 2, e.depth() - 1),
                 ""};
  } catch (const YAML::Exception& e) {
    return Error{400, "invalid_front_matter",
                 fmt::format("line {}: invalid front matter: {}", e.mark.line + 2, e.msg), ""};
  }
  if (!root.IsMap()) {
    if (root.IsNull()) return FrontMatter{{}, content.substr(pos)};
    return Error{400, "invalid_front_matter",
                 "line 2: invalid front matter: expected key: value pairs", ""};
  }
  static const std::pair<const char*, std::string Metadata::*> kKeys[] = {
      {"id", &Metadata::id},         {"title", &Metadata::title}, {"outlet", &Metadata::outlet},
      {"date", &Metadata::date},     {"url", &Metadata::url},     {"author", &Metadata::author},
      {"authors", &Metadata::author}, {"lang", &Metadata::lang}};
  for (const auto& [key, field] : kKeys) {
    if (YAML::Node value = root[key]; value && (result.meta.*field).empty()) {
      result.meta.*field = scalar_text(value);
    }
  }
  result.body = content.substr(pos);
  return result;
}

}  // namespace

Result<Article> Extractor::from_text(std::string content, const Origin& origin,
                                     const Metadata* catalog) const {
  content = read_as_utf8(content, decode_text, origin.location());  // before anything else reads it
  auto front = split_front_matter(content);
  if (!front) return front.error();
  Metadata meta = front->meta;
  if (catalog) meta.fill_from(*catalog);
  return finish(std::move(meta), std::string{front->body}, origin);
}

}  // namespace clippings
