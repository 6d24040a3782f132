#!/usr/bin/python3
"""Copies benchmark: how well clippings-indexer groups copies, and what grouping costs.

  bench/copies.py [--indexer BIN] [--baseline-indexer BIN] [--originals N] [--scale N]

1. Quality. A labelled set: N AllSides articles of 150 words or more (AllSides collects the
   same events as told by several outlets: articles on one event written separately), each
   with one to three generated copies. Every copy gets a rewritten headline and another outlet,
   and at least two of: lines wrapped, boilerplate added at the top and the end, a byline, the
   ending trimmed (10-30% of the words), 2-5% of the words changed, a paragraph taken out.
   Indexed with clippings-indexer; precision and recall are over pairs of articles (two
   articles in one group is a predicted pair; an original with its copy, or two copies of it,
   a true pair). A predicted pair of two originals (or their copies) is counted false, and also
   shown apart when half or more of the shorter original's three-word shingles are in the other
   (exact containment): those are copies already in the corpus (an updated version of one
   article, say), not errors of the method.
2. The real repeats in the Reuters file: articles under one title (wire updates), how many of
   their pairs are grouped, against the exact Jaccard of their texts.
3. Cost. The whole corpus (prepare_data.py, about 144,000 articles; --scale N replicates it to
   N) indexed with this indexer and, when given, with --baseline-indexer (the version without
   copies): a bulk load of all but the last --update articles, then those in an update run.
   Articles/s of each, seconds spent grouping (from the indexer's log) and index size.

Writes bench/results/copies.json and prints the Markdown tables of docs/BENCHMARKS.md.
"""

import argparse
import collections
import itertools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

import xapian

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from prepare_data import read_records  # noqa: E402

SLOT_GROUP = 5  # schema::kSlotGroup
BOILERPLATE_TOP = ["Advertisement", "Skip to main content", "Share this article"]
BOILERPLATE_END = ["Sign up for our daily newsletter to get the headlines in your inbox.",
                   "This article first appeared on a partner site. All rights reserved.",
                   "Follow us on social media for the latest updates."]
WORD = re.compile(r"[A-Za-z0-9\x80-\U0010ffff]+")


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def shingles(text):
    words = [w.lower() for w in WORD.findall(text)]
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def jaccard(a, b):
    return len(a & b) / len(a | b) if a or b else 0.0


def containment(a, b):
    """The share of the smaller set that the other has too."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def paragraphs(text):
    parts = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(parts) >= 3:
        return parts
    # One block (older wire bodies): sentences in groups of three stand for paragraphs.
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    return [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]


def wrap(text, width):
    out, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        out.append(line)
    return "\n".join(out)


def make_copy(rng, original, number, vocabulary):
    """A generated copy of `original` and the names of the changes made."""
    changes = rng.sample(["wrap", "boilerplate", "byline", "trim", "edit", "cut"], rng.randint(2, 4))
    parts = paragraphs(original["body"])
    if "cut" in changes and len(parts) >= 3:
        del parts[rng.randrange(1, len(parts))]
    text = "\n\n".join(parts)
    words = text.split(" ")
    if "edit" in changes:
        rate = rng.uniform(0.02, 0.05)
        for i in rng.sample(range(len(words)), max(1, int(rate * len(words)))):
            words[i] = rng.choice(vocabulary)
    if "trim" in changes:
        words = words[:int(len(words) * (1 - rng.uniform(0.10, 0.30)))]
    text = " ".join(words)
    if "wrap" in changes:
        text = "\n\n".join(wrap(p, rng.randint(60, 76)) for p in text.split("\n\n"))
    if "byline" in changes:
        text = f"By Staff Writer {number}\n\n{text}"
    if "boilerplate" in changes:
        text = f"{rng.choice(BOILERPLATE_TOP)}\n\n{text}\n\n{rng.choice(BOILERPLATE_END)}"
    title_words = original["title"].split()
    rng.shuffle(title_words)
    return {"id": f"{original['id']}~copy{number}", "title": "Update: " + " ".join(title_words),
            "outlet": f"Copy Outlet {number}", "date": original["date"], "body": text}, changes


def labelled_set(corpus, originals_wanted, seed):
    rng = random.Random(seed)
    originals, vocabulary = [], []
    for record in read_records(os.path.join(corpus, "allsides.jsonl.zst"), None):
        body = record.get("body") or ""
        if len(body.split()) < 150:
            continue
        date = (record.get("date") or "")[:10] or None
        originals.append({"id": f"as-{record['id']}", "title": record.get("title") or "",
                          "outlet": record.get("outlet") or "", "date": date, "body": body})
        if len(vocabulary) < 50000:
            vocabulary.extend(body.split()[:50])
    rng.shuffle(originals)
    originals = originals[:originals_wanted]
    copies, truth, changes_seen = [], {}, collections.Counter()
    for original in originals:
        truth[original["id"]] = original["id"]
        for number in range(1, rng.randint(1, 3) + 1):
            copy, changes = make_copy(rng, original, number, vocabulary)
            changes_seen.update(changes)
            copies.append(copy)
            truth[copy["id"]] = original["id"]
    return originals, copies, truth, changes_seen


def run_indexer(indexer, db, source, threads=None, fresh=True):
    """Indexes `source` into `db` (a new one when `fresh`): seconds, and the seconds the log
    gives to grouping."""
    if fresh:
        shutil.rmtree(db, ignore_errors=True)
    # Run in the database's folder: a config.yaml where the benchmark was started (this
    # repository's) would be read by both indexers, and an older one refuses settings it does
    # not know.
    cmd = [os.path.abspath(indexer), "--db", os.path.abspath(db), os.path.abspath(source)]
    env = dict(os.environ)
    if threads:
        env["CLIPPINGS_INDEXER_THREADS"] = str(threads)
    # The previous run's writes (gigabytes after a bulk load) are flushed first: written back
    # during this run, they would be timed as its own.
    os.sync()
    started = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=os.path.dirname(os.path.abspath(db)))
    seconds = time.monotonic() - started
    if done.returncode not in (0, 1):
        sys.exit(f"copies.py: {' '.join(cmd)} failed: {done.stderr[-2000:]}")
    grouping = re.search(r"grouped copies: .* in ([0-9.]+) s", done.stderr)
    return seconds, float(grouping.group(1)) if grouping else None


def directory_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def groups_of(db_path):
    """Article id -> group (its own id when it has no copy)."""
    db = xapian.Database(db_path)
    groups = {}
    for item in db.allterms("Q"):
        term = item.term.decode()
        for posting in db.postlist(item.term):
            doc = db.get_document(posting.docid)
            group = doc.get_value(SLOT_GROUP).decode()
            groups[term[1:]] = group or term[1:]
    return groups


def pairs_by_group(groups, ids=None):
    members = collections.defaultdict(list)
    for article, group in groups.items():
        if ids is None or article in ids:
            members[group].append(article)
    return {tuple(sorted(p)) for m in members.values() for p in itertools.combinations(m, 2)}


def quality(args, work):
    originals, copies, truth, changes = labelled_set(args.corpus, args.originals, args.seed)
    source = os.path.join(work, "labelled.jsonl")
    with open(source, "w", encoding="utf-8") as f:
        for row in originals + copies:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    db = os.path.join(work, "labelled.db")
    run_indexer(args.indexer, db, source)
    groups = groups_of(db)
    predicted = pairs_by_group(groups, set(truth))
    true_pairs = pairs_by_group(truth)
    hits = predicted & true_pairs
    wrong = predicted - true_pairs
    texts = {row["id"]: row["body"] for row in originals}
    in_corpus = [p for p in wrong
                 if containment(shingles(texts[truth[p[0]]]), shingles(texts[truth[p[1]]])) >= 0.5]
    return {
        "originals": len(originals), "copies": len(copies), "changes": dict(changes),
        "true_pairs": len(true_pairs), "predicted_pairs": len(predicted), "correct_pairs": len(hits),
        "precision": len(hits) / len(predicted) if predicted else 1.0,
        "recall": len(hits) / len(true_pairs) if true_pairs else 1.0,
        "false_pairs": len(wrong), "false_pairs_copies_in_corpus": len(in_corpus),
        "precision_without_corpus_copies":
            len(hits) / (len(predicted) - len(in_corpus)) if len(predicted) > len(in_corpus) else 1.0,
        "copies_fully_missed": sum(1 for c in copies if groups.get(c["id"]) == c["id"]),
    }


def reuters_repeats(groups, corpus):
    by_title = collections.defaultdict(list)
    for record in read_records(os.path.join(corpus, "reuters-2006-2013.jsonl.zst"), None):
        if (record.get("body") or "").strip() and record.get("title"):
            by_title[record["title"].strip()].append((str(record["id"]), record["body"]))
    pairs = grouped = similar = similar_grouped = 0
    for rows in by_title.values():
        if len(rows) < 2:
            continue
        sets = {i: shingles(body) for i, body in rows}
        for (a, _), (b, _) in itertools.combinations(rows, 2):
            if a not in groups or b not in groups:
                continue
            pairs += 1
            same = groups[a] == groups[b]
            grouped += same
            if jaccard(sets[a], sets[b]) >= 0.5:
                similar += 1
                similar_grouped += same
    return {"same_title_pairs": pairs, "grouped": grouped, "pairs_sharing_half": similar,
            "pairs_sharing_half_grouped": similar_grouped}


def split_update(source, held_back):
    """Writes the last `held_back` articles of `source` apart: (bulk file, update file, bulk count)."""
    with open(source) as f:
        lines = f.readlines()
    stem = source.removesuffix(".jsonl")
    bulk, update = stem + ".bulk.jsonl", stem + ".update.jsonl"
    with open(bulk, "w") as f:
        f.writelines(lines[:-held_back])
    with open(update, "w") as f:
        f.writelines(lines[-held_back:])
    return bulk, update, len(lines) - held_back


def cost(args, work):
    data = os.path.join(work, "data")
    cmd = [sys.executable, os.path.join(HERE, "prepare_data.py"), "--corpus", args.corpus, "--out", data]
    if args.scale:
        cmd += ["--scale", str(args.scale)]
    subprocess.run(cmd, check=True)
    with open(os.path.join(data, "meta.json")) as f:
        articles = json.load(f)["articles"]
    source = os.path.join(data, "articles.jsonl")
    # An update after the bulk load: the regrouping pass reads every signature once per run.
    bulk, update, bulk_articles = split_update(source, args.update)
    results = {"articles": articles, "bulk_articles": bulk_articles, "update_articles": args.update}
    # The baseline first: a machine that slows down during the run slows this change, not it.
    runs = ([("baseline", args.baseline_indexer)] if args.baseline_indexer else []) + [("copies", args.indexer)]
    for name, indexer in runs:
        db = os.path.join(work, f"{name}.db")
        log(f"indexing {bulk_articles} articles with {name} ({indexer}), then {args.update} more")
        seconds, grouping = run_indexer(indexer, db, bulk)
        update_seconds, update_grouping = run_indexer(indexer, db, update, fresh=False)
        results[name] = {"seconds": seconds, "articles_per_s": bulk_articles / seconds,
                         "grouping_seconds": grouping, "index_bytes": directory_bytes(db),
                         "update_seconds": update_seconds, "update_articles_per_s": args.update / update_seconds,
                         "update_grouping_seconds": update_grouping}
        if name == "copies":
            groups = groups_of(db)
            sizes = collections.Counter(collections.Counter(groups.values()).values())
            results["groups"] = {"articles_in_groups": sum(n * k for n, k in sizes.items() if n > 1),
                                 "groups": sum(k for n, k in sizes.items() if n > 1),
                                 "largest": max(sizes)}
            if not args.scale:
                results["reuters"] = reuters_repeats(groups, args.corpus)
        shutil.rmtree(db, ignore_errors=True)
    return results


def markdown(r):
    q = r["quality"]
    lines = ["| originals | copies | true pairs | grouped pairs | precision | recall | false pairs (of them copies already in the corpus) |",
             "|---|---|---|---|---|---|---|",
             f"| {q['originals']:,} | {q['copies']:,} | {q['true_pairs']:,} | {q['predicted_pairs']:,} | "
             f"{q['precision']:.4f} | {q['recall']:.4f} | {q['false_pairs']} ({q['false_pairs_copies_in_corpus']}) |"]
    c = r.get("cost")
    if c:
        lines += ["", "| indexer | bulk load | seconds | articles/s | grouping (s) | index size (MB) "
                      "| update | seconds | articles/s | grouping (s) |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for name in ("baseline", "copies"):
            if name in c:
                x = c[name]
                g = f"{x['grouping_seconds']:.1f}" if x["grouping_seconds"] is not None else "-"
                ug = f"{x['update_grouping_seconds']:.1f}" if x["update_grouping_seconds"] is not None else "-"
                lines.append(f"| {name} | {c['bulk_articles']:,} | {x['seconds']:.1f} | {x['articles_per_s']:.0f} | {g} | "
                             f"{x['index_bytes'] / 1e6:.0f} | {c['update_articles']:,} | {x['update_seconds']:.1f} | "
                             f"{x['update_articles_per_s']:.0f} | {ug} |")
        if "reuters" in c:
            rr = c["reuters"]
            lines += ["", f"Reuters repeats: {rr['same_title_pairs']:,} pairs of articles under one title, "
                          f"{rr['grouped']:,} grouped; of the {rr['pairs_sharing_half']:,} pairs whose texts share "
                          f"half their shingles or more, {rr['pairs_sharing_half_grouped']:,} grouped."]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="/work/shared/corpus")
    parser.add_argument("--indexer", default=os.path.join(ROOT, "build", "indexer", "clippings-indexer"))
    parser.add_argument("--baseline-indexer", help="an indexer without copies, for the cost")
    parser.add_argument("--originals", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=int, default=0, help="replicate the corpus to this many articles")
    parser.add_argument("--no-cost", action="store_true", help="only the labelled set")
    parser.add_argument("--update", type=int, default=2000, help="articles indexed after the bulk load")
    parser.add_argument("--work", default=os.path.join(HERE, "work", "copies"))
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    results = {"quality": quality(args, args.work)}
    log(f"quality: {json.dumps(results['quality'])}")
    if not args.no_cost:
        results["cost"] = cost(args, args.work)
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    name = f"copies{'-' + str(args.scale) if args.scale else ''}.json"
    with open(os.path.join(HERE, "results", name), "w") as f:
        json.dump(results, f, indent=1)
    print(markdown(results))


if __name__ == "__main__":
    main()
