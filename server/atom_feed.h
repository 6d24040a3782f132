/// @file atom_feed.h
/// GET /api/search.atom: a search as an Atom 1.0 feed, newest articles first.
#pragma once

#include <string>
#include <string_view>

#include "reply.h"
#include "search/searcher.h"

namespace clippings::http {

/// Where the feed lives, for its id and links.
struct FeedLinks {
  std::string base;  ///< "http://host:port", no trailing slash
  std::string self;  ///< the absolute URL of this feed request (also the feed id)
  std::string now;   ///< RFC 3339 time used when no entry is dated
};

/// Escapes &, <, >, " and ' and drops characters XML 1.0 forbids (C0 controls but tab and
/// line breaks), so any article text yields a well-formed document.
std::string escape_xml(std::string_view text);

/// The plain text of a snippet_html: <mark> tags dropped and HTML escapes undone.
std::string snippet_text(std::string_view snippet_html);

/// The feed for `request` (sort is newest first whatever was asked). Entries: id (the URL, else
/// urn:clippings:article:<id>), title, link, updated (the article date; 1970-01-01 when
/// undated), summary (plain text), author (else the outlet), category (the outlet).
Reply search_atom(Searcher& searcher, const SearchRequest& request, const FeedLinks& links);

}  // namespace clippings::http
