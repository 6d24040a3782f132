"""Relevance measures for binary judgements, TREC run and qrels files, and a paired test.

A ranked list is ordered as trec_eval orders a run: by score, highest first, and equal scores
by document id in descending byte order. Every system's list is put in that order before it
is scored or written, so the figures here are the ones trec_eval computes from the run files
(where a system returns equal scores, the order it returned them in is arbitrary anyway).

The measures, for one query with the set `relevant` of relevant ids (binary relevance):
  P@10        relevant ids among the first 10, divided by 10
  nDCG@10     sum over the first 10 of rel_i / log2(i + 1) (i from 1), divided by the same sum
              for an ideal list (min(R, 10) relevant ids first); R = len(relevant)
  AP@100      sum over the relevant ids in the first 100 of the precision at their rank,
              divided by min(R, 100), so that a list whose first 100 are all relevant scores 1
              (trec_eval's map_cut_100 divides by R instead: the same for R <= 100, and smaller
              by a factor 100 / R above it)
  recall@100  relevant ids among the first 100, divided by R (at most 100 / R when R > 100)
A query with no result scores 0 on every measure. Figures for a set of queries are means.
"""

import math
import random

DEPTH = 100  # results asked of every system for every query
MEASURES = ("P@10", "nDCG@10", "AP@100", "recall@100")


def precision_at(ranked, relevant, k=10):
    return sum(1 for doc in ranked[:k] if doc in relevant) / k


def ndcg_at(ranked, relevant, k=10):
    gain = sum(1 / math.log2(i + 2) for i, doc in enumerate(ranked[:k]) if doc in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return gain / ideal if ideal else 0.0


def average_precision_at(ranked, relevant, k=DEPTH):
    found, total = 0, 0.0
    for i, doc in enumerate(ranked[:k]):
        if doc in relevant:
            found += 1
            total += found / (i + 1)
    return total / min(len(relevant), k) if relevant else 0.0


def recall_at(ranked, relevant, k=DEPTH):
    if not relevant:
        return 0.0
    return sum(1 for doc in ranked[:k] if doc in relevant) / len(relevant)


def score_query(ranked, relevant):
    """The four measures of one ranked list of ids, as {measure: value}."""
    return {"P@10": precision_at(ranked, relevant), "nDCG@10": ndcg_at(ranked, relevant),
            "AP@100": average_precision_at(ranked, relevant),
            "recall@100": recall_at(ranked, relevant)}


def ideal_scores(relevant):
    """What a perfect system scores: every relevant id first."""
    return score_query(sorted(relevant)[:DEPTH], relevant)


def mean_scores(per_query, qids):
    """{measure: mean over qids} of {qid: {measure: value}}."""
    return {m: sum(per_query[q][m] for q in qids) / len(qids) for m in MEASURES} if qids else {}


def trec_order(hits):
    """(docid, score) pairs as trec_eval ranks them: score descending, then docid descending.

    A system that returns one id twice is at fault: that raises ValueError."""
    ids = [doc for doc, _ in hits]
    if len(ids) != len(set(ids)):
        raise ValueError("a ranked list holds the same document twice")
    return sorted(((doc, float(score)) for doc, score in hits),
                  key=lambda hit: (hit[1], hit[0].encode("utf-8")), reverse=True)


def check_id(text, what):
    if not text or any(c.isspace() for c in text):
        raise ValueError(f"{what} {text!r} is empty or holds white space: not a TREC field")


def write_run(path, tag, runs):
    """A TREC run file: `qid Q0 docid rank score tag`, each query's hits in trec_order.

    `runs` is {qid: [(docid, score), ...]}; queries are written in sorted order. Scores are
    written with repr(), which reads back as the same double."""
    check_id(tag, "run tag")
    with open(path, "w", encoding="utf-8") as f:
        for qid in sorted(runs):
            check_id(qid, "query id")
            for rank, (doc, score) in enumerate(trec_order(runs[qid]), 1):
                check_id(doc, "document id")
                f.write(f"{qid} Q0 {doc} {rank} {score!r} {tag}\n")


def split_lines(path):
    """("path:line", fields) for each line of a white-space separated file but blank ones."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.split():
                yield f"{path}:{number}", line.split()


def read_run(path):
    """{qid: [docid, ...]} in trec_order, from a TREC run file; raises ValueError naming the
    line of a malformed one."""
    hits = {}
    for where, fields in split_lines(path):
        try:
            qid, _, doc, _, score, _ = fields
            hits.setdefault(qid, []).append((doc, float(score)))
        except ValueError:
            raise ValueError(f"{where}: expected 'qid Q0 docid rank score tag', "
                             f"got {' '.join(fields)!r}") from None
    return {qid: [doc for doc, _ in trec_order(h)] for qid, h in hits.items()}


def write_qrels(path, qrels):
    """A TREC qrels file, `qid 0 docid 1`, of {qid: set of relevant docids}."""
    with open(path, "w", encoding="utf-8") as f:
        for qid in sorted(qrels):
            check_id(qid, "query id")
            for doc in sorted(qrels[qid]):
                check_id(doc, "document id")
                f.write(f"{qid} 0 {doc} 1\n")


def read_qrels(path):
    """{qid: set of docids judged relevant (relevance above 0)}."""
    qrels = {}
    for where, fields in split_lines(path):
        if len(fields) != 4 or not fields[3].lstrip("-").isdigit():
            raise ValueError(f"{where}: expected 'qid 0 docid relevance', "
                             f"got {' '.join(fields)!r}")
        qrels.setdefault(fields[0], set())
        if int(fields[3]) > 0:
            qrels[fields[0]].add(fields[2])
    return qrels


EXACT_UP_TO = 16  # queries for which every sign assignment is enumerated


def paired_test(a, b, rounds=10000, seed=20201):
    """Two-sided paired randomisation test of mean(a) against mean(b), per-query scores.

    Under the null hypothesis each query's difference is as likely negative as positive; the
    p-value is the share of sign assignments whose mean difference is at least as far from 0
    as the observed one. Up to EXACT_UP_TO queries every assignment is counted; above, a
    fixed-seed sample of `rounds` (with the observed one counted, so p is never 0)."""
    diffs = [x - y for x, y in zip(a, b, strict=True)]
    if not diffs:
        raise ValueError("no queries to compare")
    observed = abs(sum(diffs)) - 1e-12  # a float sum may differ in its last bit when reordered
    if len(diffs) <= EXACT_UP_TO:
        extreme = 0
        for signs in range(1 << len(diffs)):
            total = sum(-d if signs >> i & 1 else d for i, d in enumerate(diffs))
            extreme += abs(total) >= observed
        return extreme / (1 << len(diffs))
    rng = random.Random(seed)
    extreme = 1
    for _ in range(rounds):
        extreme += abs(sum(d if rng.random() < 0.5 else -d for d in diffs)) >= observed
    return extreme / (rounds + 1)
