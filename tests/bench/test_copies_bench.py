"""The copies benchmark's labelled set and its pair counting (bench/copies.py), on made-up text."""

import os
import random
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))

import copies  # noqa: E402


def made_up_article(seed=3, paragraphs=6):
    rng = random.Random(seed)
    words = [f"w{n}" for n in range(3000)]
    body = "\n\n".join(" ".join(rng.choice(words) for _ in range(60)) + "." for _ in range(paragraphs))
    return {"id": "a1", "title": "One two three four", "outlet": "Valley Wire", "date": "2020-01-02", "body": body}


class MakeCopyTest(unittest.TestCase):
    def test_copies_keep_most_of_the_text_and_change_what_they_say(self):
        original = made_up_article()
        vocabulary = [f"v{n}" for n in range(100)]
        for seed in range(30):
            copy, changes = copies.make_copy(random.Random(seed), original, 1, vocabulary)
            self.assertTrue(2 <= len(changes) <= 4)
            self.assertEqual(copy["id"], "a1~copy1")
            self.assertNotEqual(copy["title"], original["title"])
            self.assertNotEqual(copy["outlet"], original["outlet"])
            a, b = copies.shingles(original["body"]), copies.shingles(copy["body"])
            self.assertGreater(copies.containment(a, b), 0.3, changes)
            if "edit" in changes:
                self.assertTrue(any(word in copy["body"] for word in vocabulary))
            if "boilerplate" in changes:
                self.assertTrue(any(line in copy["body"] for line in copies.BOILERPLATE_END))

    def test_wrapping_keeps_the_words(self):
        text = made_up_article()["body"].split("\n\n")[0]
        wrapped = copies.wrap(text, 60)
        self.assertTrue(all(len(line) <= 60 for line in wrapped.split("\n")))
        self.assertEqual(wrapped.split(), text.split())


class PairsTest(unittest.TestCase):
    def test_pairs_are_counted_within_groups(self):
        groups = {"a": "a", "b": "a", "c": "a", "d": "d", "e": "e"}
        self.assertEqual(copies.pairs_by_group(groups), {("a", "b"), ("a", "c"), ("b", "c")})
        self.assertEqual(copies.pairs_by_group(groups, {"a", "b", "d"}), {("a", "b")})

    def test_shingles_ignore_case_and_wrapping(self):
        self.assertEqual(copies.shingles("One two\nthree Four"), copies.shingles("one, two three four"))
        self.assertEqual(copies.jaccard({1, 2}, {2, 3}), 1 / 3)
        self.assertEqual(copies.containment({1, 2}, {2, 3, 4, 5}), 0.5)


if __name__ == "__main__":
    unittest.main()
