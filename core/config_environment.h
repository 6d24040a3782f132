/// @file config_environment.h
/// The CLIPPINGS_* variables as configuration: their names, how their text becomes a value,
/// and the ones that name no setting. Used by config.cpp only.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config.h"
#include "result.h"

namespace clippings {

/// "server.port" -> "CLIPPINGS_SERVER_PORT".
std::string variable_name(const std::string& key_path);

/// What a key holds, which decides how its variable's text is read.
enum class ValueShape { kScalar, kList, kMapping };

/// The value of a variable as the node a config file would hold: a scalar as it is; a list
/// split at commas (items trimmed, empty ones dropped) unless it starts with "[", then read as
/// YAML (JSON is YAML too), as is a mapping. An Error says what was expected.
Result<YAML::Node> node_from_variable(const std::string& text, ValueShape shape);

/// One warning per variable of `env` that is neither in `known` (the variables of the keys)
/// nor one that the programs or their container read besides the keys (CLIPPINGS_CONFIG...),
/// naming the nearest known variable when one is close.
std::vector<std::string> unknown_variable_warnings(const Environment& env,
                                                   const std::set<std::string>& known);

}  // namespace clippings
