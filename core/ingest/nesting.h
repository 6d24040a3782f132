/// @file nesting.h
/// Bounds on how deeply input may nest, checked before a parser sees it: the parsers and the
/// code that walks their output must neither recurse without end nor spend time in the
/// square of the input's size.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace clippings {

/// Deepest JSON accepted (a JSON Lines record, a JSON-LD block): news exports nest a few
/// levels; hundreds only come from broken or hostile input.
inline constexpr std::size_t kMaxJsonDepth = 64;

/// Deepest element nesting of an HTML page handed to the parser. Gumbo looks through the
/// stack of open elements for every tag, so a page that nests N elements costs N squared
/// (100,000 nested <div>s took two minutes); real pages stay well under a hundred.
inline constexpr std::size_t kMaxHtmlDepth = 512;

/// Whether the arrays and objects of `json` nest more than `max_depth` deep (brackets inside
/// strings do not count). One pass, no parse: for text about to be parsed.
bool json_deeper_than(std::string_view json, std::size_t max_depth);

/// `html` with the tags that would open elements deeper than `max_depth` (and their end tags)
/// replaced by a space, their text kept; nullopt when the page is within the bound (nearly
/// always). Depth is counted as a tokenizer sees it: comments, raw text (script, style...),
/// void elements, self-closed tags inside SVG and MathML, and elements whose end tags are
/// implied (p, li, td...) do not count.
std::optional<std::string> html_within_depth(std::string_view html, std::size_t max_depth);

}  // namespace clippings
