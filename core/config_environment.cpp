/// @file config_environment.cpp
#include "config_environment.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <string_view>

#include <fmt/format.h>

extern char** environ;

namespace clippings {
namespace {

constexpr std::string_view kPrefix = "CLIPPINGS_";

/// CLIPPINGS_* variables that are not settings: the config file of both programs, and what
/// docker/compose.yaml and docker/compose.shards.yaml read from the shell that runs them.
constexpr std::string_view kOtherVariables[] = {"CLIPPINGS_CONFIG", "CLIPPINGS_ARTICLES", "CLIPPINGS_IMAGE",
                                                "CLIPPINGS_PUBLISH", "CLIPPINGS_REPLICA_PUBLISH"};

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

/// Edits (insertions, deletions, substitutions, swaps of neighbours) from `a` to `b`.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

/// The known variable nearest to `name`, if it is near enough to be what was meant: at most
/// one edit per four characters of its name after the prefix (and one for short names).
std::string nearest(const std::string& name, const std::set<std::string>& known) {
  const std::string_view wanted = std::string_view{name}.substr(kPrefix.size());
  std::string best;
  std::size_t best_distance = 0;
  for (const auto& candidate : known) {
    const std::string_view tail = std::string_view{candidate}.substr(kPrefix.size());
    const std::size_t distance = edit_distance(wanted, tail);
    if (distance <= std::max<std::size_t>(1, tail.size() / 4) &&
        (best.empty() || distance < best_distance)) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace

Environment clippings_environment() {
  Environment env;
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string_view text{*entry};
    const auto equals = text.find('=');
    if (equals == std::string_view::npos || !text.starts_with(kPrefix)) continue;
    env.emplace(text.substr(0, equals), text.substr(equals + 1));
  }
  return env;
}

std::string variable_name(const std::string& key_path) {
  std::string name{kPrefix};
  for (const char c : key_path) {
    name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

Result<YAML::Node> node_from_variable(const std::string& text, ValueShape shape) {
  if (shape == ValueShape::kScalar) return YAML::Node{text};
  const std::string_view trimmed = trim(text);
  if (shape == ValueShape::kList && !trimmed.starts_with('[')) {
    YAML::Node list{YAML::NodeType::Sequence};
    std::string_view rest = trimmed;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string_view item = trim(rest.substr(0, comma));
      if (!item.empty()) list.push_back(std::string{item});
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    return list;
  }
  const char* expected = shape == ValueShape::kList
                             ? "expected a comma-separated list, or a YAML or JSON list [...]"
                             : "expected a YAML or JSON mapping {key: value, ...}";
  try {
    return YAML::Load(std::string{trimmed});
  } catch (const YAML::Exception& e) {
    return Error{2, "invalid_config", fmt::format("{}: {}", expected, e.msg), ""};
  }
}

std::vector<std::string> unknown_variable_warnings(const Environment& env,
                                                   const std::set<std::string>& known) {
  std::vector<std::string> warnings;
  for (const auto& [name, value] : env) {
    if (!name.starts_with(kPrefix) || known.count(name) ||
        std::find(std::begin(kOtherVariables), std::end(kOtherVariables), name) !=
            std::end(kOtherVariables)) {
      continue;
    }
    const std::string suggestion = nearest(name, known);
    const std::string hint = suggestion.empty() ? " (config.yaml lists the settings)"
                                                : "; did you mean " + suggestion + "?";
    warnings.push_back(name + " is not a setting and is ignored" + hint);
  }
  return warnings;
}

}  // namespace clippings
