/// @file html_reader.cpp
/// Saved HTML pages, parsed with gumbo: metadata from the head, text from the article.
#include <gumbo.h>

#include <algorithm>
#include <memory>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ascii.h"
#include "ingest/encoding.h"
#include "ingest/ingest.h"
#include "ingest/nesting.h"
#include "ingest/text.h"

namespace clippings {
namespace {

using nlohmann::json;

/// Longest "| Site" suffix dropped from a <title> when the site is not named elsewhere.
constexpr std::size_t kMaxTitleSuffix = 40;

/// Elements whose text is never article text.
bool is_skipped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NAV: case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE: case GUMBO_TAG_FORM: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG: case GUMBO_TAG_MATH: case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO: case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE:
      return true;
    default:
      return false;
  }
}

/// Elements that start a new paragraph.
bool is_block(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_UL:
    case GUMBO_TAG_OL: case GUMBO_TAG_LI: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_TR: case GUMBO_TAG_DL: case GUMBO_TAG_DT:
    case GUMBO_TAG_DD: case GUMBO_TAG_HR: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_BODY: case GUMBO_TAG_CENTER:
      return true;
    default:
      return false;
  }
}

/// Depth-first walk without recursion (pages can nest deeply): `enter` returns whether to
/// visit the children; `leave` runs after them.
template <typename Enter, typename Leave>
void walk(const GumboNode* root, Enter enter, Leave leave) {
  std::vector<std::pair<const GumboNode*, unsigned>> stack;
  if (enter(root)) stack.emplace_back(root, 0);
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    const bool has_children =
        node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE ||
        node->type == GUMBO_NODE_DOCUMENT;
    const GumboVector* children = !has_children ? nullptr
                                  : node->type == GUMBO_NODE_DOCUMENT
                                      ? &node->v.document.children
                                      : &node->v.element.children;
    if (children && next < children->length) {
      const auto* child = static_cast<const GumboNode*>(children->data[next++]);
      if (enter(child)) stack.emplace_back(child, 0);
    } else {
      leave(node);
      stack.pop_back();
    }
  }
}

std::string attribute(const GumboNode* node, const char* name) {
  const GumboAttribute* attr = gumbo_get_attribute(&node->v.element.attributes, name);
  return attr ? attr->value : "";
}

/// Whether `rel`, a list of link types, holds "canonical" (in any case, between any spaces).
bool names_canonical(const std::string& rel) {
  std::istringstream types{ascii_lowered(rel)};
  std::string type;
  while (types >> type) {
    if (type == "canonical") return true;
  }
  return false;
}

/// Text of an element and its descendants, skipped elements left out; blocks and <br>
/// become paragraph and line breaks.
std::string text_of(const GumboNode* root) {
  std::string out;
  walk(
      root,
      [&](const GumboNode* node) {
        if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
            node->type == GUMBO_NODE_CDATA) {
          // Newlines inside HTML text are spaces; only elements make lines.
          std::string_view text = node->v.text.text;
          for (char c : text) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
          return false;
        }
        if (node->type != GUMBO_NODE_ELEMENT) return node->type == GUMBO_NODE_DOCUMENT;
        const GumboTag tag = node->v.element.tag;
        if (node != root && is_skipped(tag)) return false;
        if (tag == GUMBO_TAG_BR) out += '\n';
        if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) out += ' ';
        if (is_block(tag)) out += "\n\n";
        return true;
      },
      [&](const GumboNode* node) {
        if (node->type == GUMBO_NODE_ELEMENT && is_block(node->v.element.tag)) out += "\n\n";
      });
  return out;
}

/// One line: the element's text with whitespace collapsed.
std::string line_of(const GumboNode* node) {
  std::string line;
  for (const auto& part : text::clean_lines(text_of(node))) {
    if (part.empty()) continue;
    if (!line.empty()) line += ' ';
    line += part;
  }
  return line;
}

/// A person in JSON-LD: a name, or an object with a name.
std::string person_name(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object()) {
    auto name = value.find("name");
    return name != value.end() && name->is_string() ? name->get<std::string>() : "";
  }
  return "";
}

/// An author in JSON-LD: a person, or a list of persons.
std::string person_names(const json& value) {
  if (!value.is_array()) return person_name(value);
  std::string joined;
  for (const auto& item : value) {
    std::string name = person_name(item);
    if (name.empty()) continue;
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

/// What a page says about itself.
struct PageMeta {
  std::string og_title, title, h1, headline;
  std::string site_name, canonical, og_url;
  std::string published, jsonld_date, time_datetime, other_date;
  std::string meta_author, article_author, jsonld_author;
  std::string lang;
  const GumboNode* article = nullptr;
  const GumboNode* main = nullptr;
  const GumboNode* body = nullptr;
  std::vector<std::string> warnings;  ///< what was ignored, and why

  void set(std::string& field, std::string value) {
    if (field.empty()) field = std::move(value);
  }

  /// JSON-LD: an object, an array of objects, or objects under "@graph" (its depth is
  /// bounded by kMaxJsonDepth before it is parsed).
  void read_jsonld(const json& node) {
    if (node.is_array()) {
      for (const auto& item : node) read_jsonld(item);
      return;
    }
    if (!node.is_object()) return;
    if (auto graph = node.find("@graph"); graph != node.end()) read_jsonld(*graph);
    if (auto date = node.find("datePublished"); date != node.end() && date->is_string()) {
      set(jsonld_date, date->get<std::string>());
    }
    if (auto author = node.find("author"); author != node.end()) {
      set(jsonld_author, person_names(*author));
    }
    if (auto headline = node.find("headline"); headline != node.end() && headline->is_string()) {
      set(this->headline, headline->get<std::string>());
    }
  }

  void read_meta(const GumboNode* node) {
    const std::string key = ascii_lowered(attribute(node, "property").empty() ? attribute(node, "name")
                                                                      : attribute(node, "property"));
    std::string content = attribute(node, "content");
    if (key.empty() || content.empty()) return;
    if (key == "og:title") set(og_title, content);
    else if (key == "og:site_name") set(site_name, content);
    else if (key == "og:url") set(og_url, content);
    else if (key == "article:published_time") set(published, content);
    else if (key == "date" || key == "pubdate" || key == "publish-date" || key == "dc.date" ||
             key == "dcterms.date" || key == "og:published_time") set(other_date, content);
    else if (key == "author") set(meta_author, content);
    // article:author is often a profile URL rather than a name.
    else if (key == "article:author" && content.find("://") == std::string::npos) {
      set(article_author, content);
    }
  }

  void read_element(const GumboNode* node) {
    switch (node->v.element.tag) {
      case GUMBO_TAG_HTML: set(lang, attribute(node, "lang")); break;
      case GUMBO_TAG_META: read_meta(node); break;
      case GUMBO_TAG_TITLE: set(title, line_of(node)); break;
      case GUMBO_TAG_H1: set(h1, line_of(node)); break;
      case GUMBO_TAG_TIME: set(time_datetime, attribute(node, "datetime")); break;
      case GUMBO_TAG_ARTICLE: if (!article) article = node; break;
      case GUMBO_TAG_MAIN: if (!main) main = node; break;
      case GUMBO_TAG_BODY: if (!body) body = node; break;
      case GUMBO_TAG_LINK:
        if (names_canonical(attribute(node, "rel"))) {
          set(canonical, attribute(node, "href"));
        }
        break;
      case GUMBO_TAG_SCRIPT:
        if (ascii_lowered(attribute(node, "type")) == "application/ld+json" &&
            node->v.element.children.length > 0) {
          const auto* child = static_cast<const GumboNode*>(node->v.element.children.data[0]);
          if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA) {
            const std::string_view text = child->v.text.text;
            if (json_deeper_than(text, kMaxJsonDepth)) {
              warnings.push_back(fmt::format(
                  "JSON-LD nested deeper than {} levels: ignored", kMaxJsonDepth));
              break;
            }
            json data = json::parse(text, nullptr, /*allow_exceptions=*/false);
            if (!data.is_discarded()) read_jsonld(data);
          }
        }
        break;
      default: break;
    }
  }
};

/// "Headline | Site" -> "Headline", when the suffix is the site's name or short.
std::string strip_site_suffix(const std::string& title, const std::string& site) {
  for (std::string_view sep : {" | ", " - ", " \u2013 ", " \u2014 "}) {
    const std::size_t pos = title.rfind(sep);
    if (pos == std::string::npos || pos == 0) continue;
    const std::string suffix = title.substr(pos + sep.size());
    if (text::equals_ignoring_case(suffix, site) ||
        (site.empty() && sep == " | " && text::length_utf8(suffix) <= kMaxTitleSuffix)) {
      return title.substr(0, pos);
    }
  }
  return title;
}

Metadata metadata_of(const PageMeta& page) {
  const auto first = [](std::initializer_list<const std::string*> values) {
    for (const auto* value : values) {
      if (!value->empty()) return *value;
    }
    return std::string{};
  };
  Metadata meta;
  const std::string title = strip_site_suffix(page.title, page.site_name);
  meta.title = first({&page.og_title, &title, &page.h1, &page.headline});
  meta.outlet = page.site_name;
  meta.date = first({&page.published, &page.jsonld_date, &page.time_datetime, &page.other_date});
  meta.url = first({&page.canonical, &page.og_url});
  meta.author = first({&page.meta_author, &page.article_author, &page.jsonld_author});
  meta.lang = page.lang;
  return meta;
}

}  // namespace

Result<Article> Extractor::from_html(std::string content, const Origin& origin,
                                     const Metadata* catalog) const {
  content = read_as_utf8(content, decode_html, origin.location());  // before anything else reads it
  // Before parsing: the parser turns control characters into U+FFFD, hiding what they were.
  if (auto binary = binary_content(content)) return *binary;
  PageMeta page;
  if (auto bounded = html_within_depth(content, kMaxHtmlDepth)) {
    content = std::move(*bounded);
    page.warnings.push_back(fmt::format(
        "HTML nested deeper than {} elements: the deeper tags were ignored", kMaxHtmlDepth));
  }
  std::unique_ptr<GumboOutput, void (*)(GumboOutput*)> output{
      gumbo_parse_with_options(&kGumboDefaultOptions, content.data(), content.size()),
      [](GumboOutput* out) { gumbo_destroy_output(&kGumboDefaultOptions, out); }};
  walk(
      output->document,
      [&](const GumboNode* node) {
        if (node->type == GUMBO_NODE_DOCUMENT) return true;
        if (node->type != GUMBO_NODE_ELEMENT) return false;
        page.read_element(node);
        return node->v.element.tag != GUMBO_TAG_SCRIPT && node->v.element.tag != GUMBO_TAG_STYLE;
      },
      [](const GumboNode*) {});
  const GumboNode* container = page.article ? page.article : page.main ? page.main : page.body;
  Metadata meta = catalog ? *catalog : Metadata{};
  meta.fill_from(metadata_of(page));
  auto article = finish(std::move(meta), container ? text_of(container) : std::string{}, origin);
  if (article) {
    article->warnings.insert(article->warnings.begin(), page.warnings.begin(), page.warnings.end());
  }
  return article;
}

}  // namespace clippings
