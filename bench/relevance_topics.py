"""The judged query set: AllSides topics, a hand-written query for each, and their split.

bench/relevance/topics.tsv has one row per topic: its label in the corpus, how many articles
carry it, its split and the query a reader following that story would type. An article's
topic is its only judgement (binary relevance): the articles of a topic are its relevant set.

Which topics: every label with at least MIN_ARTICLES articles, but for the catch-all labels
of EXCLUDED. Which split: topics in descending order of article count (ties by label) go
alternately to "tuning" (first, third, ...) and "heldout" (second, fourth, ...), so both
splits span the same range of sizes and no one chooses where a topic goes.
"""

import collections
import json
import os
import subprocess

MIN_ARTICLES = 30  # below it, P@10 and AP@100 move in steps too coarse to compare systems
EXCLUDED = {
    "general_news": "a catch-all label that names no subject a reader could type",
    "world": "a catch-all label for foreign news of every kind, named by no subject",
}
SPLITS = ("tuning", "heldout")
HEADER = ("topic", "articles", "split", "query")


def assign_splits(counts):
    """{topic: split} for {topic: article count}, by the alternation rule above."""
    ordered = sorted(counts, key=lambda topic: (-counts[topic], topic))
    return {topic: SPLITS[i % 2] for i, topic in enumerate(ordered)}


def load_topics(path):
    """The rows of topics.tsv as dicts (articles as int); raises ValueError naming the line of
    a malformed row, a repeated topic or a split that breaks the rule."""
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if tuple(header) != HEADER:
            raise ValueError(f"{path}:1: expected the header {' '.join(HEADER)}")
        for number, line in enumerate(f, 2):
            fields = line.rstrip("\n").split("\t")
            if len(fields) != len(HEADER) or not fields[1].isdigit() or not fields[3].strip():
                raise ValueError(f"{path}:{number}: expected {len(HEADER)} tab-separated "
                                 "fields: topic, article count, split, query")
            row = dict(zip(HEADER, fields))
            row["articles"] = int(row["articles"])
            if any(r["topic"] == row["topic"] for r in rows):
                raise ValueError(f"{path}:{number}: topic {row['topic']!r} is listed twice")
            rows.append(row)
    expected = assign_splits({r["topic"]: r["articles"] for r in rows})
    for number, row in enumerate(rows, 2):
        if row["split"] != expected[row["topic"]]:
            raise ValueError(f"{path}:{number}: {row['topic']} belongs to "
                             f"{expected[row['topic']]}, not {row['split']}")
    return rows


def corpus_topics(corpus_file):
    """{article id: topic} of the AllSides file, leaving out the articles with an empty body
    (bench/prepare_data.py leaves them out for every system)."""
    topics = {}
    proc = subprocess.Popen(["zstd", "-dc", corpus_file], stdout=subprocess.PIPE)
    try:
        for line in proc.stdout:
            if line.strip():
                record = json.loads(line)
                if (record.get("body") or "").strip():
                    topics[str(record["id"])] = record.get("topic") or ""
    finally:
        proc.stdout.close()
        if proc.wait() != 0:
            raise RuntimeError(f"zstd -dc {corpus_file} failed")
    return topics


def check_against_corpus(rows, topics):
    """Problems (sentences) where topics.tsv and the corpus disagree; empty when they agree."""
    counts = collections.Counter(topics.values())
    listed = {row["topic"] for row in rows}
    problems = [f"{row['topic']}: topics.tsv says {row['articles']} articles, the corpus has "
                f"{counts.get(row['topic'], 0)}" for row in rows
                if counts.get(row["topic"], 0) != row["articles"]]
    problems += [f"{topic}: {count} articles but neither listed nor excluded"
                 for topic, count in sorted(counts.items())
                 if count >= MIN_ARTICLES and topic not in listed and topic not in EXCLUDED]
    return problems


def judgements(rows, topics):
    """qrels for the listed topics: {topic: set of article ids}."""
    qrels = {row["topic"]: set() for row in rows}
    for article, topic in topics.items():
        if topic in qrels:
            qrels[topic].add(article)
    return qrels


def cached_judgements(rows, corpus_file, cache):
    """judgements() of the corpus, kept in `cache` (JSON) while the corpus file is unchanged:
    reading 37,554 articles takes seconds, and the quick path runs often. Raises ValueError
    when topics.tsv and the corpus disagree."""
    stat = os.stat(corpus_file)
    signature = [os.path.abspath(corpus_file), stat.st_size, stat.st_mtime_ns]
    topics = None
    if os.path.exists(cache):
        with open(cache) as f:
            kept = json.load(f)
        if kept.get("signature") == signature:
            topics = kept["topics"]
    if topics is None:
        topics = corpus_topics(corpus_file)
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        with open(cache, "w") as f:
            json.dump({"signature": signature, "topics": topics}, f)
    problems = check_against_corpus(rows, topics)
    if problems:
        raise ValueError("topics.tsv does not match the corpus:\n  " + "\n  ".join(problems))
    return judgements(rows, topics), len(topics)
