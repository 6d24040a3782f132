/// @file nesting.cpp
/// Depth checks in one pass over the bytes, without building anything.
#include "ingest/nesting.h"

#include <algorithm>
#include <array>

#include "ascii.h"

namespace clippings {

bool json_deeper_than(std::string_view json, std::size_t max_depth) {
  std::size_t depth = 0;
  for (std::size_t i = 0; i < json.size(); ++i) {
    switch (json[i]) {
      case '"':
        // Skip the string: to the next quote that no backslash escapes.
        for (++i; i < json.size() && json[i] != '"'; ++i) {
          if (json[i] == '\\') ++i;
        }
        break;
      case '[':
      case '{':
        if (++depth > max_depth) return true;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return false;
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

template <std::size_t N>
bool is_one_of(std::string_view name, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

/// Elements whose content is text up to their end tag: no tags inside.
constexpr std::array<std::string_view, 10> kRawText = {
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
    "plaintext"};
/// Elements without content or end tag.
constexpr std::array<std::string_view, 19> kVoid = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "basefont", "bgsound", "frame", "keygen", "image"};
/// Elements that the next of their kind (or their parent's end) closes: they do not nest.
constexpr std::array<std::string_view, 21> kImpliedEnd = {
    "p", "li", "dd", "dt", "option", "optgroup", "rb", "rp", "rt", "rtc", "tr", "td", "th",
    "tbody", "thead", "tfoot", "caption", "colgroup", "html", "head", "body"};

/// Where a tag that starts at `pos` (just after its name) ends, past its '>', and whether it
/// closes itself ("/>"). Attribute values in quotes may hold '>'.
std::pair<std::size_t, bool> tag_end(std::string_view html, std::size_t pos) {
  const std::size_t n = html.size();
  while (pos < n) {
    const char c = html[pos];
    if (c == '>') return {pos + 1, pos > 0 && html[pos - 1] == '/'};
    if (is_space(c) || c == '/') {
      ++pos;
      continue;
    }
    // An attribute name (a leading '=' belongs to it), then perhaps '=' and a value.
    ++pos;
    while (pos < n && !is_space(html[pos]) && html[pos] != '/' && html[pos] != '>' &&
           html[pos] != '=') {
      ++pos;
    }
    while (pos < n && is_space(html[pos])) ++pos;
    if (pos >= n || html[pos] != '=') continue;
    ++pos;
    while (pos < n && is_space(html[pos])) ++pos;
    if (pos < n && (html[pos] == '"' || html[pos] == '\'')) {
      const std::size_t close = html.find(html[pos], pos + 1);
      pos = close == std::string_view::npos ? n : close + 1;
    } else {
      while (pos < n && !is_space(html[pos]) && html[pos] != '>') ++pos;
    }
  }
  return {n, false};
}

/// Where the raw text of element `name` ends: at its "</name" (any case), else at the end.
std::size_t raw_text_end(std::string_view html, std::size_t pos, std::string_view name) {
  for (;;) {
    const std::size_t lt = html.find("</", pos);
    if (lt == std::string_view::npos) return html.size();
    if (ascii_lowered(html.substr(lt + 2, name.size())) == name) return lt;
    pos = lt + 2;
  }
}

}  // namespace

std::optional<std::string> html_within_depth(std::string_view html, std::size_t max_depth) {
  constexpr std::size_t kLongestName = 16;  // longer names are in none of the lists
  std::string out;
  std::size_t copied = 0;  // html[0, copied) is in `out` (once something was dropped)
  bool dropped = false;
  std::size_t depth = 0, foreign = 0;  // counted elements open; of them, <svg> and <math>
  const auto drop = [&](std::size_t begin, std::size_t end) {
    if (!dropped) out.reserve(html.size());
    dropped = true;
    out.append(html.substr(copied, begin - copied));
    out += ' ';  // the text on both sides stays two words
    copied = end;
  };
  for (std::size_t pos = 0; pos < html.size();) {
    const std::size_t lt = html.find('<', pos);
    if (lt == std::string_view::npos) break;
    if (html.substr(lt, 4) == "<!--") {
      const std::size_t close = html.find("-->", lt + 4);
      pos = close == std::string_view::npos ? html.size() : close + 3;
      continue;
    }
    const bool closing = html.substr(lt + 1, 1) == "/";
    const std::size_t name_begin = lt + 1 + (closing ? 1 : 0);
    if (name_begin >= html.size() || !is_letter(html[name_begin])) {
      // "<!DOCTYPE ...>", "<?xml ...>" and "</ x>" end at the next '>'; a lone '<' is text.
      const char c = name_begin < html.size() ? html[name_begin] : ' ';
      const bool markup = c == '!' || c == '?' || (closing && !is_space(c));
      const std::size_t close = markup ? html.find('>', lt) : std::string_view::npos;
      pos = markup ? (close == std::string_view::npos ? html.size() : close + 1) : lt + 1;
      continue;
    }
    std::size_t name_end = name_begin;
    while (name_end < html.size() && !is_space(html[name_end]) && html[name_end] != '/' &&
           html[name_end] != '>') {
      ++name_end;
    }
    const std::string name = ascii_lowered(html.substr(
        name_begin, std::min(name_end - name_begin, kLongestName + 1)));
    const auto [end, self_closed] = tag_end(html, name_end);
    pos = end;
    if (is_one_of(name, kVoid) || is_one_of(name, kImpliedEnd)) continue;
    if (is_one_of(name, kRawText)) {
      if (!closing) pos = raw_text_end(html, end, name);
      continue;
    }
    const bool is_foreign_root = name == "svg" || name == "math";
    if (closing) {
      if (depth > max_depth) drop(lt, end);
      if (depth > 0) --depth;
      if (is_foreign_root && foreign > 0) --foreign;
      continue;
    }
    if (self_closed && foreign > 0) continue;
    ++depth;
    if (is_foreign_root) ++foreign;
    if (depth > max_depth) drop(lt, end);
  }
  if (!dropped) return std::nullopt;
  out.append(html.substr(copied));
  return out;
}

}  // namespace clippings
