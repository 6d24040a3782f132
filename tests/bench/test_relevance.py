"""The relevance benchmark's scripts: measures, TREC files, the judged set and its report.

The measures are checked against values worked out by hand below; the rest on small made-up
inputs and on the committed bench/relevance/topics.tsv.
"""

import json
import math
import os
import random
import sys
import tempfile
import unittest

BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench")
sys.path.insert(0, BENCH)

import relevance_metrics as metrics  # noqa: E402
import relevance_topics as topics  # noqa: E402
import render_relevance  # noqa: E402
import relevance_variants as variants  # noqa: E402
import run_relevance  # noqa: E402


class Measures(unittest.TestCase):
    # Relevant: a, b, c, d (R = 4). Returned: a x b y c, so relevant at ranks 1, 3 and 5.
    RANKED = ["a", "x", "b", "y", "c"]
    RELEVANT = {"a", "b", "c", "d"}

    def test_precision_at_10_counts_relevant_among_the_first_ten(self):
        # 3 relevant in the first 10 (fewer than 10 returned count as not relevant): 3 / 10.
        self.assertAlmostEqual(metrics.precision_at(self.RANKED, self.RELEVANT), 0.3)

    def test_ndcg_at_10_by_hand(self):
        # DCG = 1/log2(2) + 1/log2(4) + 1/log2(6) = 1 + 0.5 + 0.3868528 = 1.8868528
        # ideal (4 relevant first) = 1 + 0.6309298 + 0.5 + 0.4306766 = 2.5616064
        # 1.8868528 / 2.5616064 = 0.7365897
        self.assertAlmostEqual(metrics.ndcg_at(self.RANKED, self.RELEVANT), 0.7365897, places=7)

    def test_average_precision_by_hand(self):
        # precision at ranks 1, 3, 5: 1/1, 2/3, 3/5; sum 2.266667, divided by min(R, 100) = 4
        self.assertAlmostEqual(metrics.average_precision_at(self.RANKED, self.RELEVANT),
                               0.566667, places=6)

    def test_recall_at_100_by_hand(self):
        self.assertAlmostEqual(metrics.recall_at(self.RANKED, self.RELEVANT), 0.75)

    def test_score_query_gives_the_four_measures(self):
        scores = metrics.score_query(self.RANKED, self.RELEVANT)
        self.assertEqual(tuple(scores), metrics.MEASURES)
        self.assertAlmostEqual(scores["nDCG@10"], 0.7365897, places=7)

    def test_only_the_first_k_count(self):
        ranked = [f"n{i}" for i in range(10)] + ["a"]
        self.assertEqual(metrics.precision_at(ranked, {"a"}), 0.0)
        self.assertEqual(metrics.ndcg_at(ranked, {"a"}), 0.0)
        self.assertAlmostEqual(metrics.average_precision_at(ranked, {"a"}), 1 / 11)
        self.assertEqual(metrics.average_precision_at(ranked, {"a"}, k=10), 0.0)

    def test_ap_at_100_is_one_for_a_first_hundred_all_relevant_of_many(self):
        relevant = {f"r{i}" for i in range(150)}
        ranked = sorted(relevant)[:100]
        self.assertAlmostEqual(metrics.average_precision_at(ranked, relevant), 1.0)
        self.assertAlmostEqual(metrics.recall_at(ranked, relevant), 100 / 150)
        self.assertAlmostEqual(metrics.ndcg_at(ranked, relevant), 1.0)

    def test_ndcg_ideal_is_limited_by_the_relevant_count(self):
        # One relevant article, found first: a perfect list although nine places hold no gain.
        self.assertAlmostEqual(metrics.ndcg_at(["a", "x"], {"a"}), 1.0)
        # Found second: 1/log2(3).
        self.assertAlmostEqual(metrics.ndcg_at(["x", "a"], {"a"}), 1 / math.log2(3))

    def test_no_result_scores_zero(self):
        self.assertEqual(metrics.score_query([], self.RELEVANT),
                         {m: 0.0 for m in metrics.MEASURES})

    def test_ideal_scores(self):
        relevant = {f"r{i}" for i in range(400)}
        ideal = metrics.ideal_scores(relevant)
        self.assertEqual(ideal["P@10"], 1.0)
        self.assertAlmostEqual(ideal["recall@100"], 0.25)
        self.assertAlmostEqual(ideal["AP@100"], 1.0)

    def test_mean_over_the_queries_named(self):
        per_query = {"q1": {m: 1.0 for m in metrics.MEASURES},
                     "q2": {m: 0.0 for m in metrics.MEASURES},
                     "q3": {m: 0.5 for m in metrics.MEASURES}}
        self.assertEqual(metrics.mean_scores(per_query, ["q1", "q2"])["P@10"], 0.5)
        self.assertEqual(metrics.mean_scores(per_query, ["q3"])["AP@100"], 0.5)


class TrecFiles(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def test_trec_order_breaks_ties_by_docid_descending(self):
        hits = [("b", 1.0), ("c", 2.0), ("a", 1.0), ("d", 1)]
        self.assertEqual([d for d, _ in metrics.trec_order(hits)], ["c", "d", "b", "a"])

    def test_a_document_returned_twice_is_an_error(self):
        with self.assertRaises(ValueError):
            metrics.trec_order([("a", 2.0), ("a", 1.0)])

    def test_run_file_lines(self):
        metrics.write_run(self.path("x.run"), "sys-or",
                          {"t2": [("b", 1.5), ("c", 3.25)], "t1": [("a", 0.1)]})
        with open(self.path("x.run")) as f:
            self.assertEqual(f.read(), "t1 Q0 a 1 0.1 sys-or\n"
                                       "t2 Q0 c 1 3.25 sys-or\n"
                                       "t2 Q0 b 2 1.5 sys-or\n")

    def test_run_file_reads_back_in_the_same_order(self):
        rng = random.Random(3)
        runs = {f"q{n}": [(f"d{i}", rng.choice([1.0, 2.0, rng.random()])) for i in range(30)]
                for n in range(5)}
        metrics.write_run(self.path("x.run"), "t", runs)
        back = metrics.read_run(self.path("x.run"))
        self.assertEqual(back, {q: [d for d, _ in metrics.trec_order(h)]
                                for q, h in runs.items()})

    def test_run_file_refuses_white_space_in_an_id(self):
        with self.assertRaises(ValueError):
            metrics.write_run(self.path("x.run"), "t", {"q": [("two words", 1.0)]})
        with self.assertRaises(ValueError):
            metrics.write_run(self.path("x.run"), "my tag", {"q": [("a", 1.0)]})

    def test_malformed_run_line_names_the_line(self):
        with open(self.path("bad.run"), "w") as f:
            f.write("q Q0 a 1 2.0 t\nq Q0 b 2 t\n")
        with self.assertRaisesRegex(ValueError, r"bad\.run:2:"):
            metrics.read_run(self.path("bad.run"))

    def test_qrels_round_trip(self):
        metrics.write_qrels(self.path("q.txt"), {"gun": {"b", "a"}, "abortion": {"c"}})
        with open(self.path("q.txt")) as f:
            self.assertEqual(f.read(), "abortion 0 c 1\ngun 0 a 1\ngun 0 b 1\n")
        self.assertEqual(metrics.read_qrels(self.path("q.txt")),
                         {"gun": {"a", "b"}, "abortion": {"c"}})

    def test_qrels_judged_not_relevant_are_left_out(self):
        with open(self.path("q.txt"), "w") as f:
            f.write("t 0 a 1\nt 0 b 0\nu 0 c 0\n")
        self.assertEqual(metrics.read_qrels(self.path("q.txt")), {"t": {"a"}, "u": set()})
        with open(self.path("bad.txt"), "w") as f:
            f.write("t 0 a\n")
        with self.assertRaisesRegex(ValueError, r"bad\.txt:1:"):
            metrics.read_qrels(self.path("bad.txt"))


class PairedTest(unittest.TestCase):
    def test_exact_p_value_by_hand(self):
        # Differences 1, 2, 3: of the 8 sign assignments only +++ and --- reach |sum| 6.
        self.assertEqual(metrics.paired_test([1, 2, 3], [0, 0, 0]), 0.25)
        # Differences 1, 1: |sum| 2 for ++ and --, 0 otherwise.
        self.assertEqual(metrics.paired_test([1, 1], [0, 0]), 0.5)

    def test_equal_systems_are_not_different(self):
        self.assertEqual(metrics.paired_test([0.3, 0.5, 0.9], [0.3, 0.5, 0.9]), 1.0)
        self.assertEqual(metrics.paired_test([0.2] * 40, [0.2] * 40), 1.0)

    def test_sampled_test_is_deterministic_and_sees_a_consistent_gain(self):
        rng = random.Random(1)
        a = [rng.random() for _ in range(45)]
        b = [x - 0.1 for x in a]
        p = metrics.paired_test(a, b)
        self.assertEqual(p, metrics.paired_test(a, b))
        self.assertLess(p, 0.001)
        noisy = [x + rng.uniform(-0.3, 0.3) for x in a]
        self.assertGreater(metrics.paired_test(noisy, a), 0.05)

    def test_lists_must_pair_up(self):
        with self.assertRaises(ValueError):
            metrics.paired_test([1, 2], [1])


REPO_TOPICS = os.path.join(BENCH, "relevance", "topics.tsv")


class JudgedSet(unittest.TestCase):
    def test_split_alternates_by_size_whatever_the_input_order(self):
        counts = {"d": 30, "b": 40, "a": 50, "c": 40, "e": 31}
        expected = {"a": "tuning", "b": "heldout", "c": "tuning", "e": "heldout", "d": "tuning"}
        self.assertEqual(topics.assign_splits(counts), expected)
        shuffled = dict(sorted(counts.items(), key=lambda kv: random.Random(9).random()))
        self.assertEqual(topics.assign_splits(shuffled), expected)

    def test_committed_topics_follow_the_rules(self):
        rows = topics.load_topics(REPO_TOPICS)  # raises when a split breaks the rule
        self.assertEqual(len(rows), 91)
        self.assertTrue(all(r["articles"] >= topics.MIN_ARTICLES for r in rows))
        self.assertFalse({r["topic"] for r in rows} & set(topics.EXCLUDED))
        queries = [r["query"] for r in rows]
        self.assertEqual(len(queries), len(set(queries)))
        self.assertTrue(all(q == q.strip() and q == q.lower() for q in queries))
        splits = [r["split"] for r in rows]
        self.assertEqual((splits.count("tuning"), splits.count("heldout")), (46, 45))

    def write(self, text):
        f = tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False)
        self.addCleanup(os.remove, f.name)
        f.write(text)
        f.close()
        return f.name

    def test_a_split_against_the_rule_is_refused(self):
        path = self.write("topic\tarticles\tsplit\tquery\n"
                          "big\t90\ttuning\tbig story\nsmall\t40\ttuning\tsmall story\n")
        with self.assertRaisesRegex(ValueError, r":3: small belongs to heldout"):
            topics.load_topics(path)

    def test_malformed_rows_are_refused(self):
        bad = ["topic\tarticles\tsplit\tquery\nbig\tmany\ttuning\tq\n",
               "topic\tarticles\tsplit\tquery\nbig\t90\ttuning\t\n",
               "topic\tarticles\tsplit\tquery\nbig\t90\ttuning\tq\nbig\t90\theldout\tr\n",
               "topic\tquery\nbig\tq\n"]
        for text in bad:
            with self.subTest(text=text), self.assertRaises(ValueError):
                topics.load_topics(self.write(text))

    def test_judgements_and_the_check_against_the_corpus(self):
        rows = [{"topic": "gun", "articles": 2, "split": "tuning", "query": "gun control"}]
        corpus = {"1": "gun", "2": "abortion", "3": "gun"}
        self.assertEqual(topics.judgements(rows, corpus), {"gun": {"1", "3"}})
        self.assertEqual(topics.check_against_corpus(rows, corpus), [])
        corpus["4"] = "gun"
        self.assertEqual(topics.check_against_corpus(rows, corpus),
                         ["gun: topics.tsv says 2 articles, the corpus has 3"])
        big = {str(n): "trade" for n in range(100, 100 + topics.MIN_ARTICLES)}
        problems = topics.check_against_corpus(rows, dict(corpus, **big))
        self.assertIn(f"trade: {topics.MIN_ARTICLES} articles but neither listed nor excluded",
                      problems)


def made_up_results():
    """Results of two topics per split: Clippings finds everything in 'heldout' topics only."""
    rows = [{"topic": t, "articles": 12, "split": s, "query": t.replace("_", " ")}
            for t, s in (("gun_control", "tuning"), ("opioid_crisis", "heldout"),
                         ("trade", "tuning"), ("tea_party", "heldout"))]
    qrels = {r["topic"]: {f"{r['topic']}-{i}" for i in range(12)} for r in rows}

    def hits(found):
        return {r["topic"]: [(d, 10.0 - i) for i, d in enumerate(sorted(qrels[r["topic"]]))]
                if found(r) else [("other", 1.0)] for r in rows}

    systems = {
        "clippings": run_relevance.score_system(hits(lambda r: r["split"] == "heldout"),
                                                qrels, rows),
        "sqlite-or": run_relevance.score_system(hits(lambda r: True), qrels, rows),
    }
    for name, s in systems.items():
        s.update(label=run_relevance.LABELS[name], measured="2026-12-03T10:00:00+00:00",
                 commit="abc1234", settings={})
    systems["clippings"]["settings"] = {"server": None, "config": None, "params": [],
                                        "articles_in_index": 48,
                                        "matches": {r["topic"]: 12 for r in rows}}
    return {"articles": 48, "topics": rows, "ideal": run_relevance.ideal(qrels, rows),
            "systems": systems, "started": "s", "finished": "f", "commit": "abc1234",
            "corpus": "allsides.jsonl.zst"}


class Report(unittest.TestCase):
    def test_scores_per_split(self):
        results = made_up_results()
        clippings = results["systems"]["clippings"]
        self.assertEqual(clippings["means"]["heldout"]["nDCG@10"], 1.0)
        self.assertEqual(clippings["means"]["tuning"]["P@10"], 0.0)
        self.assertEqual(clippings["no_result"], {"tuning": 0, "heldout": 0})
        self.assertEqual(clippings["per_query"]["trade"]["returned"], 1)

    def test_markdown_tables_held_out_first_with_ceiling_and_comparison(self):
        text = render_relevance.render(made_up_results())
        held, tuning = text.index("#### Held-out topics"), text.index("#### Tuning topics")
        self.assertLess(held, tuning)
        heldout_table = text[held:tuning]
        self.assertIn("| Clippings (HTTP API, as configured) | 1.000 | 1.000 | 1.000 | 1.000 | 0 |"
                      "  |  |  |", heldout_table)
        self.assertIn("| SQLite FTS5 bm25, OR | 1.000 | 1.000 | 1.000 | 1.000 | 0 | +0.000 "
                      "(p 1.000) | +0.000 (p 1.000) | +0.000 (p 1.000) |", heldout_table)
        self.assertIn("| P@10 vs Clippings (p) | nDCG@10 vs Clippings (p) | AP@100 vs Clippings (p) |",
                      heldout_table)
        self.assertIn("every relevant article first (ceiling)", heldout_table)
        # In the tuning split SQLite finds everything and Clippings nothing: +1 on both topics,
        # and of the four sign assignments two reach |sum| 2.
        self.assertIn("+1.000 (p 0.500)", text[tuning:])
        self.assertIn("<details><summary>nDCG@10 per topic", text)
        self.assertIn("| opioid_crisis | heldout | `opioid crisis` | 12 | 12 | 1.00 | 1.00 |",
                      text)

    def test_how_clippings_was_served(self):
        settings = {"server": None, "config": None, "params": [], "articles_in_index": 37554}
        self.assertEqual(render_relevance.server_text(settings),
                         "a clippings-server started by the harness with the built-in defaults,"
                         " over an index of 37,554 articles")
        settings.update(server="http://127.0.0.1:9000", config="/tmp/or.yaml",
                        params=["match=any"])
        self.assertEqual(render_relevance.server_text(settings),
                         "the server at http://127.0.0.1:9000 with `--config or.yaml`, adding "
                         "`match=any` to every search, over an index of 37,554 articles")

    def test_a_tiny_p_value_is_not_shown_as_zero(self):
        results = made_up_results()
        per_query = results["systems"]["sqlite-or"]["per_query"]
        rows = [dict(r, topic=f"t{n}", split="heldout") for n, r in
                enumerate(results["topics"][1:2] * 30)]
        results["topics"] = rows
        for name, score in (("clippings", 0.0), ("sqlite-or", 1.0)):
            results["systems"][name]["per_query"] = {
                r["topic"]: dict(per_query["opioid_crisis"], **{"nDCG@10": score + n / 1000})
                for n, r in enumerate(rows)}
        self.assertEqual(render_relevance.versus(results, "sqlite-or", "clippings", "heldout",
                                                 "nDCG@10"), "+1.000 (p < 0.001)")

    def test_a_bar_in_a_cell_does_not_split_it(self):
        self.assertEqual(render_relevance.markdown_table(["a", "b"], [["x | y", "z"]]),
                         "| a | b |\n|---|---|\n| x \\| y | z |")

    def test_update_doc_replaces_only_the_generated_part(self):
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False) as f:
            f.write(f"# Doc\nmethod\n{render_relevance.BEGIN}\nold figures\n"
                    f"{render_relevance.END}\nafter\n")
        self.addCleanup(os.remove, f.name)
        render_relevance.update_doc(f.name, made_up_results())
        with open(f.name) as f2:
            doc = f2.read()
        self.assertTrue(doc.startswith("# Doc\nmethod\n" + render_relevance.BEGIN))
        self.assertTrue(doc.endswith(render_relevance.END + "\nafter\n"))
        self.assertNotIn("old figures", doc)
        self.assertIn("SQLite FTS5 bm25, OR", doc)

    def test_update_doc_without_markers_fails(self):
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False) as f:
            f.write("# Doc\n")
        self.addCleanup(os.remove, f.name)
        with self.assertRaises(SystemExit):
            render_relevance.update_doc(f.name, made_up_results())

    def test_console_marks_systems_from_an_earlier_run(self):
        text = render_relevance.console_table(made_up_results(), ["clippings"])
        self.assertIn("*SQLite FTS5 bm25, OR", text)
        self.assertNotIn("*Clippings", text)
        self.assertIn("from latest.json", text)

    def test_measured_names_each_commit_once_with_its_first_and_last_time(self):
        def system(measured, commit):
            return {"measured": measured, "commit": commit}
        systems = {"a": system("T12", "c2"), "b": system("T10", "c1"), "c": system("T13", "c2")}
        self.assertEqual(render_relevance.measured_text(systems), "T10 at c1; T12 to T13 at c2")

    def test_the_per_topic_table_leaves_variants_out(self):
        results = made_up_results()
        variant = dict(results["systems"]["sqlite-or"], label="Variant (in-process): x")
        results["systems"]["variant-x"] = variant
        text = render_relevance.render(results)
        self.assertIn("| Variant (in-process): x | 1.000 |", text)
        per_topic = text[text.index("<details>"):]
        self.assertIn("| clippings | sqlite-or |", per_topic)
        self.assertNotIn("variant-x", per_topic)

    def test_variants_follow_clippings(self):
        names = render_relevance.ordered(["sqlite-or", "clippings-or", "clippings", "xapian-or"])
        self.assertEqual(names, ["clippings", "clippings-or", "xapian-or", "sqlite-or"])

    def test_merge_keeps_systems_measured_on_the_same_set(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "latest.json")
            old = made_up_results()
            with open(path, "w") as f:
                json.dump(old, f)
            new = made_up_results()
            del new["systems"]["sqlite-or"]
            new["systems"]["clippings"]["commit"] = "def5678"
            merged = run_relevance.merge_latest(path, new)
            self.assertEqual(set(merged["systems"]), {"clippings", "sqlite-or"})
            self.assertEqual(merged["systems"]["clippings"]["commit"], "def5678")
            new["topics"] = new["topics"][:2]
            self.assertEqual(set(run_relevance.merge_latest(path, new)["systems"]),
                             {"clippings"})


def variant_database(path):
    """A few articles indexed as Clippings indexes them: title words under S and three times
    in the free text, the body 100 positions after the title, the id under Q."""
    import xapian
    articles = [("body", "Quay news", "Ferry fares. Ferry fares. Ferry fares."),
                ("title", "Ferry fares", "Quay news. Quay news. Quay news."),
                ("close", "Notes", "The ferry fares rose in the spring, said the quay office."),
                ("far", "Notes", "The ferry left the quay in the spring, and the fares rose."),
                ("gulls", "Gulls", "Gulls over the harbour wall at dawn.")]
    db = xapian.WritableDatabase(path, xapian.DB_CREATE)
    generator = xapian.TermGenerator()
    generator.set_stemmer(xapian.Stem("en"))
    generator.set_stemming_strategy(xapian.TermGenerator.STEM_ALL)
    for article_id, title, body in articles:
        doc = xapian.Document()
        generator.set_document(doc)
        generator.index_text(title, 1, "S")
        generator.index_text(title, 3)
        generator.increase_termpos(100)
        generator.index_text(body)
        doc.add_boolean_term("Q" + article_id)
        db.add_document(doc)
    db.commit()
    db.close()


class Variants(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        path = os.path.join(cls.dir.name, "db")
        variant_database(path)
        cls.lab = variants.InProcess(path)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def search(self, name, query):
        return dict(self.lab.search_all(name, [query])[query])

    def test_the_default_boosts_every_word_in_the_title(self):
        hits = self.lab.search_all("default", ["ferry fares"])["ferry fares"]
        self.assertEqual(hits[0][0], "title")
        scores = dict(hits)
        self.assertAlmostEqual(scores["title"], scores["body"] * (1 + variants.TITLE_BOOST))
        self.assertEqual(set(scores), {"body", "title", "close", "far"})

    def test_proximity_adds_weight_only_where_the_words_are_close(self):
        default, near = self.search("default", "ferry fares"), self.search("near8", "ferry fares")
        pairs = self.search("pairs", "ferry fares")
        self.assertGreater(near["close"], default["close"])
        self.assertAlmostEqual(near["far"], default["far"])
        self.assertGreater(pairs["close"], default["close"])
        self.assertAlmostEqual(pairs["far"], default["far"])
        # One word has no neighbour: nothing to add.
        self.assertEqual(self.search("near8", "quay"), self.search("default", "quay"))

    def test_the_variant_labels_name_the_default_they_start_from(self):
        self.assertEqual(variants.VARIANTS["default"].label, "Clippings' default ranking (in-process)")
        for name, variant in variants.VARIANTS.items():
            self.assertTrue(name == "default" or variant.label.startswith("default + "), name)


if __name__ == "__main__":
    unittest.main()
