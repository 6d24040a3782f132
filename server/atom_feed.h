/// @file atom_feed.h
/// GET /api/search.atom: a search as an Atom 1.0 feed, the most recently indexed articles first.
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
  std::string page;  ///< the absolute URL of the same search on the search page
  std::string now;   ///< RFC 3339 time used when no entry has a time
};

/// Escapes &, <, >, " and ' and drops characters XML 1.0 forbids (C0 controls but tab and
/// line breaks), so any article text yields a well-formed document.
std::string escape_xml(std::string_view text);

/// The plain text of a snippet_html: <mark> tags dropped and HTML escapes undone.
std::string snippet_text(std::string_view snippet_html);

/// The feed for `request`, most recently indexed first whatever sort was asked (kIndexed), so
/// that an article indexed today reaches a follower whatever date it bears. Entries: id (the
/// URL, else urn:clippings:article:<id>), title, links, updated (when first indexed; for an
/// article indexed before that was recorded, its date, else 1970-01-01), published (the
/// article date, when dated), summary (plain text), author (else the outlet), category (the
/// outlet). The feed's alternate link is `links.page`.
Reply search_atom(Searcher& searcher, const SearchRequest& request, const FeedLinks& links);

}  // namespace clippings::http
