/// @file ascii.h
/// ASCII case folding, for what is ASCII by definition or by rule (HTML names, URL schemes and
/// hosts, file extensions, language tags, boilerplate patterns): bytes of UTF-8 pass unchanged,
/// whatever the C locale.
#pragma once

#include <string>
#include <string_view>

namespace clippings {

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

/// `text` with A to Z lower-cased.
inline std::string ascii_lowered(std::string_view text) {
  std::string out{text};
  for (char& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace clippings
