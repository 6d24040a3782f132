"""The benchmark suite's query mix (bench/make_queries.py) and report (bench/render_report.py),
and the summary of what a setting costs (bench/settings_latency.py).

The published figures come from these two scripts: the mix decides what is timed, the report
which peer each figure is divided by. Both run here on small made-up inputs.
"""

import datetime
import json
import os
import random
import sys
import tempfile
import unittest
from unittest import mock

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))

import make_queries  # noqa: E402
import render_report  # noqa: E402
import settings_latency  # noqa: E402

MIB = 1048576


def made_up_rows(count=400, seed=7):
    """Articles of made-up words with a long-tailed frequency, like a news vocabulary."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ne", "pu", "ra", "si", "to", "vu", "ze"]
    vocabulary = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
                         for _ in range(4000)})
    vocabulary = [w for w in vocabulary if len(w) >= 4]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    outlets = ["Valley Wire", "Harbor Post", "Northfield Gazette", "The Ledger", ""]
    rows = []
    for n in range(count):
        words = rng.choices(vocabulary, weights, k=rng.randint(80, 200))
        date = "" if n % 10 == 0 else f"202{n % 3}-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
        rows.append({"title": " ".join(words[:6]), "outlet": outlets[n % len(outlets)],
                     "date": date, "body": " ".join(words)})
    return rows


def query_key(query):
    return json.dumps({k: v for k, v in query.items() if k != "n"}, sort_keys=True)


class QueryMix(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rows = made_up_rows()
        cls.mix = make_queries.make_mix(cls.rows, per_class=30)  # as the suite draws

    def test_every_class_has_the_same_number_of_queries(self):
        counts = {name: 0 for name in make_queries.CLASSES}
        for query in self.mix:
            counts[query["class"]] += 1
        self.assertEqual(counts, {name: 30 for name in make_queries.CLASSES})
        self.assertEqual([q["n"] for q in self.mix], list(range(len(self.mix))))

    def test_no_query_is_drawn_twice(self):
        keys = [query_key(q) for q in self.mix]
        self.assertEqual(len(keys), len(set(keys)))

    def test_the_same_rows_give_the_same_mix(self):
        self.assertEqual(make_queries.make_mix(self.rows, per_class=30), self.mix)

    def test_a_phrase_is_two_adjacent_words_of_an_article(self):
        bodies = [" " + row["body"].lower() + " " for row in self.rows]
        for query in (q for q in self.mix if q["class"] == "phrase"):
            phrase = " " + " ".join(query["terms"]) + " "
            self.assertTrue(any(phrase in body for body in bodies), query)

    def test_a_date_range_is_whole_months(self):
        for query in (q for q in self.mix if q["class"] == "date"):
            start = datetime.date.fromisoformat(query["from"])
            end = datetime.date.fromisoformat(query["to"])
            self.assertEqual(start.day, 1, query)
            self.assertEqual((end + datetime.timedelta(days=1)).day, 1, query)
            self.assertLess(start, end, query)

    def test_an_outlet_filter_names_an_outlet_of_the_data(self):
        outlets = {row["outlet"] for row in self.rows if row["outlet"]}
        for query in (q for q in self.mix if q["class"] == "outlet"):
            self.assertIn(query["outlet"], outlets)

    def test_clippings_receives_or_spelled_out_and_phrases_quoted(self):
        query = {"class": "or", "terms": ["harbor", "ledger"]}
        self.assertEqual(make_queries.xapian_text(query), "harbor OR ledger")
        query = {"class": "phrase", "terms": ["harbor", "ledger"]}
        self.assertEqual(make_queries.xapian_text(query), '"harbor ledger"')

    def test_an_and_or_or_with_its_terms_swapped_is_the_same_query(self):
        seen = set()
        make_queries.draw_new(seen, "or", lambda: {"terms": ["harbor", "ledger"]})
        draws = iter([["ledger", "harbor"], ["harbor", "wire"]])
        query = make_queries.draw_new(seen, "or", lambda: {"terms": next(draws)})
        self.assertEqual(query["terms"], ["harbor", "wire"])
        # A phrase's word order is part of it.
        make_queries.draw_new(seen, "phrase", lambda: {"terms": ["harbor", "ledger"]})
        query = make_queries.draw_new(seen, "phrase", lambda: {"terms": ["ledger", "harbor"]})
        self.assertEqual(query["terms"], ["ledger", "harbor"])

    def test_a_vocabulary_too_small_for_the_mix_is_an_error_not_a_hang(self):
        seen = set()
        make_queries.draw_new(seen, "frequent", lambda: {"terms": ["ledger"]})
        with self.assertRaisesRegex(RuntimeError, "no new frequent query"):
            make_queries.draw_new(seen, "frequent", lambda: {"terms": ["ledger"]})


def system(label, articles_per_s, p50_ms, qps, index_mib=100):
    """One system's results as run_bench.py records them."""
    run = {"queries": 2, "p50_ms": p50_ms, "p95_ms": p50_ms * 2, "p99_ms": p50_ms * 3,
           "mean_ms": p50_ms, "qps": qps, "p50_ms_by_class": {"phrase": p50_ms, "or": p50_ms},
           "slowest": [[0, p50_ms * 3], [1, p50_ms * 2]]}
    return {"label": label, "memory_how": "max RSS",
            "index": {"articles_per_s": articles_per_s, "mib_per_s": articles_per_s / 100,
                      "peak_memory_kib": 20480, "index_bytes": index_mib * MIB,
                      "seconds": 1000 / articles_per_s},
            "c1": run, "c8": dict(run), "totals": {"0": 5, "1": 7}}


def results(mode="allsides"):
    mix = [{"n": 0, "class": "phrase", "terms": ["york", "times"], "outlet": "", "from": "",
            "to": ""},
           {"n": 1, "class": "or", "terms": ["harbor", "ledger"], "outlet": "Valley Wire",
            "from": "", "to": ""}]
    return {
        "mode": mode, "started": "2026-12-02T10:00:00+00:00",
        "finished": "2026-12-02T10:10:00+00:00",
        "machine": {"nproc": 2, "cpu": "Test CPU", "ram_gib": 8, "kernel": "6.1", "debian": "12"},
        "load_at_start": [0.1, 0.2, 0.3], "load_at_end": [1.0, 1.1, 1.2],
        "data": {"articles": 1000, "tsv_bytes": 5 * MIB, "outlets": 3, "undated": 10},
        "versions": {"sqlite": "3.40", "postgres": "PostgreSQL 15", "sphinx": "Sphinx 2.2",
                     "xapian": "1.4.22", "clippings": "abc1234"},
        "settings": {"clients": 8, "rounds": 2},
        "queries": {"count": 2, "per_class": 1, "classes": ["phrase", "or"], "mix": mix},
        "phases": [{"phase": "index clippings", "seconds": 1.5, "load_before": [0.1, 0.2, 0.3],
                    "load_after": [1.0, 1.1, 1.2]}],
        "systems": {
            "clippings": system("Clippings (HTTP API)", 1000, 2.0, 400, index_mib=150),
            "sqlite": system("SQLite FTS5", 3000, 30.0, 25, index_mib=120),
            "sphinx": system("Sphinx 2.2", 2000, 12.0, 80, index_mib=110),
            "postgres": {"label": "PostgreSQL 15", "error": "initdb failed"},
            "naive": {"label": "Xapian, naive loop", "memory_how": "max RSS",
                      "index": {"articles_per_s": 250, "mib_per_s": 2.5,
                                "peak_memory_kib": 40960, "index_bytes": 300 * MIB,
                                "seconds": 4.0}},
        },
    }


class Report(unittest.TestCase):
    def test_each_figure_is_divided_by_the_best_peer_that_ran(self):
        lines = render_report.summary(results()).splitlines()
        self.assertIn("- indexing articles/s: Clippings 1,000, best peer SQLite FTS5 3,000 (0.33x)",
                      lines)
        self.assertIn("- index size: Clippings 150 MiB, best peer Sphinx 2.2 110 MiB (1.36x)", lines)
        self.assertIn("- p50 latency, 1 client: Clippings 2.00 ms, best peer Sphinx 2.2 12.00 ms "
                      "(0.17x)", lines)
        self.assertIn("- queries/s, 8 clients: Clippings 400, best peer Sphinx 2.2 80.00 (5.00x)",
                      lines)
        self.assertIn("- indexing against the naive Xapian loop: Clippings 1,000, naive loop 250 "
                      "articles/s (4.00x)", lines)

    def test_a_failed_peer_is_reported_and_left_out_of_the_tables(self):
        text = render_report.render_mode(results())
        self.assertIn("Not measured in this run:\n- PostgreSQL 15: failed: initdb failed", text)
        tables = text.split("#### Summary", 1)[1]
        self.assertNotIn("PostgreSQL", tables)
        self.assertIn("| SQLite FTS5 | 3,000 (1.00x) |", tables)
        self.assertIn("| Clippings (HTTP API) | 1,000 (0.33x) |", tables)

    def test_queries_show_as_clippings_received_them(self):
        text = render_report.render_mode(results())
        self.assertIn('`"york times"` (phrase) 6.0', text)
        self.assertIn("`harbor OR ledger · outlet=Valley Wire` (or) 4.0", text)

    def render_into(self, doc, modes):
        """Runs the script on `doc` with results of `modes`: (exit error or None, new doc)."""
        with tempfile.TemporaryDirectory() as work:
            for mode in modes:
                with open(os.path.join(work, f"latest-{mode}.json"), "w") as f:
                    json.dump(results(mode), f)
            path = os.path.join(work, "BENCHMARKS.md")
            with open(path, "w", encoding="utf-8") as f:
                f.write(doc)
            argv = ["render_report.py", "--results", work, "--doc", path]
            try:
                with mock.patch.object(sys, "argv", argv):
                    render_report.main()
                error = None
            except SystemExit as e:
                error = str(e)
            with open(path, encoding="utf-8") as f:
                return error, f.read()

    def test_a_run_replaces_its_own_block_and_keeps_the_others(self):
        quick_begin, quick_end = render_report.mode_markers("quick")
        scale_begin, scale_end = render_report.mode_markers("scale")
        quick = f"{quick_begin}\nold quick figures\n{quick_end}"
        scale = f"{scale_begin}\nold scale figures\n{scale_end}"
        doc = (f"# Benchmarks\n\nHand-written method.\n\n{render_report.BEGIN}\n\nold intro\n\n"
               f"{quick}\n\n{scale}\n\n{render_report.END}\n\nHand-written reading.\n")
        error, out = self.render_into(doc, ["allsides"])
        self.assertIsNone(error)
        self.assertTrue(out.startswith("# Benchmarks\n\nHand-written method.\n\n"))
        self.assertTrue(out.endswith(f"{render_report.END}\n\nHand-written reading.\n"))
        self.assertNotIn("old intro", out)
        self.assertEqual(out.count(render_report.INTRO), 1)
        allsides = out.index(render_report.mode_markers("allsides")[0])
        self.assertLess(out.index(quick), allsides)
        self.assertLess(allsides, out.index(scale))
        self.assertIn("### AllSides alone", out)

        error, again = self.render_into(out, ["quick"])
        self.assertIsNone(error)
        self.assertNotIn("old quick figures", again)
        self.assertIn("### Quick mode (a slice of the corpus)", again)
        self.assertIn("### AllSides alone", again)
        self.assertIn(scale, again)

    def test_no_results_leave_the_document_alone(self):
        doc = f"{render_report.BEGIN}\nkept\n{render_report.END}\n"
        error, out = self.render_into(doc, [])
        self.assertRegex(error, "^no results in ")
        self.assertEqual(out, doc)


class SettingsLatency(unittest.TestCase):
    def test_every_request_and_each_querys_fastest_round(self):
        # Two rounds of three queries for one config: (query number, ms, total).
        rounds = {"feedback.yaml": [[(0, 4.0, 9), (1, 1.0, 2), (2, 30.0, 5)],
                                    [(0, 2.0, 9), (1, 3.0, 2), (2, 10.0, 5)]]}
        result = settings_latency.summarise(rounds)["feedback.yaml"]
        every, fastest = result["every request"], result["fastest round"]
        self.assertEqual(every["requests"], 6)
        self.assertEqual(every["p50_ms"], 3.0)  # 1, 2, 3, 4, 10, 30: the third
        self.assertEqual(every["p99_ms"], 30.0)
        self.assertAlmostEqual(every["mean_ms"], 50.0 / 6)
        self.assertEqual(fastest["requests"], 3)
        self.assertEqual(fastest["p50_ms"], 2.0)  # 2 (query 0), 1 (query 1), 10 (query 2)
        self.assertEqual(fastest["p99_ms"], 10.0)
        self.assertAlmostEqual(fastest["mean_ms"], 13.0 / 3)


if __name__ == "__main__":
    unittest.main()
