#!/usr/bin/python3
"""Draws the query mix from the corpus vocabulary with a fixed seed.

Seven classes, the same number of queries each: a frequent term, a rare term, two terms
(AND), two terms (OR), a two-word phrase, a term with an outlet filter and a term with a date
range. Words come from the first 20,000 articles of the data set. The AllSides, full and scale
sets all start with the same AllSides articles, so those modes ask the same questions; the
quick slice mixes both files and draws its own. Writes queries.json (the structured mix every
peer translates) and queries.tsv (class, Xapian query text, outlet, from, to: what Clippings
receives).
"""

import argparse
import collections
import datetime
import json
import random
import re

SEED = 20261123
SAMPLE_ARTICLES = 20000
WORD = re.compile(r"[a-z'\u2019]{4,}")
PAIR = re.compile(r"\b([A-Za-z]{3,}) ([A-Za-z]{3,})\b")
# Words every engine treats differently (stop lists, query operators): never drawn.
STOPWORDS = set("""
about above after again against also among because been before being below between both
but came can come could did does doing down during each even ever every from further had has
have having her here hers herself him himself his how however into its itself just last like
made make many may might more most much must near never new now off once one only other our
ours out over said same say says she should since some still such than that the their theirs
them then there these they this those through too two under until upon very was were what
when where which while who whom why will with would year years you your yours and not xor
adj for are any all nor per via onto
""".split())
CLASSES = ("frequent", "rare", "and", "or", "phrase", "outlet", "date")


def load_sample(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            rows.append({"title": parts[1], "outlet": parts[2],
                         "date": "" if parts[3] == "\\N" else parts[3],
                         "body": parts[4]})
            if len(rows) >= SAMPLE_ARTICLES:
                break
    return rows


def document_frequencies(rows):
    df = collections.Counter()
    for row in rows:
        # Each word once, in text order: a set's order follows Python's per-process string
        # hashing, and most_common() breaks ties in the order words were first counted.
        words = dict.fromkeys(WORD.findall((row["title"] + " " + row["body"]).lower()))
        # Contractions ("wouldn't") split differently in every tokeniser: never drawn.
        df.update(w for w in words if w not in STOPWORDS and w.isascii() and w.isalpha())
    return df


def month_range(rng, rows):
    """A random span of one to six whole months that starts at a dated article's month."""
    dated = [r["date"] for r in rows if r["date"]]
    start = datetime.date.fromisoformat(rng.choice(dated)[:7] + "-01")
    months = rng.randint(1, 6)
    year, month = start.year + (start.month - 1 + months) // 12, (start.month - 1 + months) % 12 + 1
    end = datetime.date(year, month, 1) - datetime.timedelta(days=1)
    return start.isoformat(), end.isoformat()


def pick_pair_from_article(rng, rows, df, min_df):
    for _ in range(1000):
        words = sorted({w for w in WORD.findall(rng.choice(rows)["body"].lower())
                        if w not in STOPWORDS and df[w] >= min_df})
        if len(words) >= 2:
            return rng.sample(words, 2)
    raise RuntimeError("no article with two usable words")


def pick_phrase(rng, rows, df, min_df):
    for _ in range(1000):
        pairs = [(a.lower(), b.lower()) for a, b in PAIR.findall(rng.choice(rows)["body"])]
        pairs = [p for p in pairs if all(w not in STOPWORDS and df[w] >= min_df and len(w) >= 4
                                         for w in p) and p[0] != p[1]]
        if pairs:
            return list(rng.choice(pairs))
    raise RuntimeError("no article with a usable phrase")


def draw_new(seen, name, draw):
    """A query of class `name` made by draw() that is not in `seen` yet (and is added to it): a
    repeated query would be timed twice and weigh double in the percentiles."""
    for _ in range(1000):
        query = {"class": name, **draw()}
        # "a OR b" is "b OR a": the operands of AND and OR count as a set.
        terms = sorted(query["terms"]) if name in ("and", "or") else query["terms"]
        key = json.dumps({**query, "terms": terms}, sort_keys=True)
        if key not in seen:
            seen.add(key)
            return query
    raise RuntimeError(f"no new {name} query in 1000 draws")


def make_mix(rows, per_class):
    rng = random.Random(SEED)
    df = document_frequencies(rows)
    ranked = [w for w, _ in df.most_common()]
    frequent = ranked[20:400]
    mid = ranked[20:2000]
    rare = sorted(w for w, c in df.items() if 3 <= c <= 20)
    outlets = [name for name, _ in collections.Counter(r["outlet"] for r in rows).most_common(12)
               if name]

    def date_query():
        start, end = month_range(rng, rows)
        return {"terms": [rng.choice(mid)], "from": start, "to": end}

    draws = {
        "frequent": lambda: {"terms": [rng.choice(frequent)]},
        "rare": lambda: {"terms": [rng.choice(rare)]},
        "and": lambda: {"terms": pick_pair_from_article(rng, rows, df, 20)},
        "or": lambda: {"terms": rng.sample(mid, 2)},
        "phrase": lambda: {"terms": pick_phrase(rng, rows, df, 20)},
        "outlet": lambda: {"terms": [rng.choice(mid)], "outlet": rng.choice(outlets)},
        "date": date_query,
    }
    mix = []
    seen = set()
    for _ in range(per_class):
        for name in CLASSES:
            mix.append(draw_new(seen, name, draws[name]))
    for number, query in enumerate(mix):
        query["n"] = number
        query.setdefault("outlet", "")
        query.setdefault("from", "")
        query.setdefault("to", "")
    return mix


def xapian_text(query):
    terms = query["terms"]
    if query["class"] == "or":
        return f"{terms[0]} OR {terms[1]}"
    if query["class"] == "phrase":
        return '"' + " ".join(terms) + '"'
    return " ".join(terms)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="articles.tsv")
    parser.add_argument("--out", required=True, help="output prefix: writes PREFIX.json/.tsv")
    parser.add_argument("--per-class", type=int, default=30)
    args = parser.parse_args()
    mix = make_mix(load_sample(args.data), args.per_class)
    with open(args.out + ".json", "w") as f:
        json.dump(mix, f, indent=1)
    with open(args.out + ".tsv", "w") as f:
        for q in mix:
            f.write("\t".join([q["class"], xapian_text(q), q["outlet"], q["from"], q["to"]]) + "\n")


if __name__ == "__main__":
    main()
