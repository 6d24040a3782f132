"""Ranking variants that Clippings does not offer, measured in-process over the database
Clippings built, with Xapian's Python bindings (Debian's python3-xapian).

Each variant starts from Clippings' default ranking for a plain query (every word required,
each word parsed alone with Clippings' stemmer and strategy, BM25 with Xapian's defaults, and
the articles whose title has every word weighted 1 + search.title_boost times;
core/search/ranking.cpp) and adds one thing to it. The default itself is a variant too
(`default`): it must score what Clippings scores through HTTP, a check that the others start
from the same ranking.

Every `search_all` returns {query: [(article id, score)]}, higher scores better.
"""

import xapian

import relevance_metrics

DEPTH = relevance_metrics.DEPTH
TITLE_BOOST = 0.025  # search.title_boost's default (core/config.h)


class Variant:
    """One ranking: `extra(words, ranked)` returns the query to add to the default's with
    OP_AND_MAYBE (None: nothing)."""

    def __init__(self, label, extra=None):
        self.label, self.extra = label, extra


def scaled(query, factor):
    return xapian.Query(xapian.Query.OP_SCALE_WEIGHT, query, factor)


def first_terms(words):
    """Each word's first term (its stem): what a positional operator can take."""
    return [xapian.Query(next(iter(word)).decode()) for word, _ in words]


def near(window, weight):
    """The words within `window` positions of each other, in any order, weighted `weight`
    times their BM25 again: Sphinx's proximity, as Xapian can say it."""
    def extra(words, ranked):
        if len(words) < 2:
            return None
        return scaled(xapian.Query(xapian.Query.OP_NEAR, first_terms(words), window), weight)
    return extra


def adjacent_pairs(weight):
    """Each pair of neighbouring query words side by side and in order (a sequential
    dependence model's ordered windows), weighted `weight` times their BM25 again."""
    def extra(words, ranked):
        terms = first_terms(words)
        if len(terms) < 2:
            return None
        pairs = [xapian.Query(xapian.Query.OP_PHRASE, [a, b], 2) for a, b in zip(terms, terms[1:])]
        return scaled(xapian.Query(xapian.Query.OP_OR, pairs), weight)
    return extra


VARIANTS = {
    "default": Variant("Clippings' default ranking (in-process)"),
    "near8": Variant("default + the words within 8 positions (NEAR), 0.02 x BM25",
                     extra=near(8, 0.02)),
    "pairs": Variant("default + neighbouring words adjacent (PHRASE pairs), 0.02 x BM25",
                     extra=adjacent_pairs(0.02)),
}


class InProcess:
    """The variants over a Clippings database (`db`, a directory)."""

    def __init__(self, db, language="en"):
        self.db = xapian.Database(db)
        self.parser = xapian.QueryParser()
        self.parser.set_database(self.db)
        self.parser.set_stemmer(xapian.Stem(language))
        self.parser.set_stemming_strategy(xapian.QueryParser.STEM_ALL)
        self.parser.add_prefix("title", "S")
        self.ids = {}

    def article_id(self, docid):
        if docid not in self.ids:
            self.ids[docid] = self.db.termlist(docid).skip_to(b"Q").term[1:].decode()
        return self.ids[docid]

    def words(self, query):
        """Each distinct word of a plain query parsed alone, and its title form."""
        out, seen = [], set()
        for word in query.split():
            parsed = self.parser.parse_query(word)
            if parsed.empty() or str(parsed) in seen:
                continue
            seen.add(str(parsed))
            out.append((parsed, self.parser.parse_query("title:" + word)))
        return out

    def default(self, words):
        """Every word, and the articles with every word in the title boosted."""
        matched = xapian.Query(xapian.Query.OP_AND, [w for w, _ in words])
        in_title = xapian.Query(xapian.Query.OP_FILTER, matched,
                                xapian.Query(xapian.Query.OP_AND, [t for _, t in words]))
        return xapian.Query(xapian.Query.OP_AND_MAYBE, matched, scaled(in_title, TITLE_BOOST))

    def search(self, enquire, variant, query):
        words = self.words(query)
        ranked = self.default(words)
        extra = variant.extra(words, ranked) if variant.extra else None
        if extra is not None:
            ranked = xapian.Query(xapian.Query.OP_AND_MAYBE, ranked, extra)
        enquire.set_query(ranked)
        return [(self.article_id(m.docid), m.weight) for m in enquire.get_mset(0, DEPTH)]

    def search_all(self, name, queries):
        enquire = xapian.Enquire(self.db)  # BM25Weight with Xapian's defaults
        return {query: self.search(enquire, VARIANTS[name], query) for query in queries}
