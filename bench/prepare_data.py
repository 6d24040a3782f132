#!/usr/bin/python3
"""Normalises the two corpus shapes into one data set that every system indexes.

Writes, in the output directory:
  articles.jsonl  one object per line: id, title, outlet, date (YYYY-MM-DD or null), body
                  (what clippings-indexer reads on stdin)
  articles.tsv    the same rows for the peers: id, title, outlet, date (\\N when null), body,
                  with tabs, line breaks and backslashes folded to spaces (no quoting needed)
  outlets.tsv     outlet number (1..n, by descending article count) and name
  meta.json       counts, bytes and how the set was made

Articles with an empty body are left out (counted in meta.json). --only takes one corpus file
(the AllSides mode). A quick slice takes the first articles of each file in proportion to its
size, so both shapes are present. Scale mode replicates the full set under new ids with dates
shifted by whole decades (29 February becomes the 28th in common years) until it reaches the
requested size: the term statistics are then synthetic.
"""

import argparse
import calendar
import collections
import json
import os
import subprocess
import sys

CORPUS_FILES = ("allsides.jsonl.zst", "reuters-2006-2013.jsonl.zst")
# Articles per file in the full corpus (README of the corpus): used to split a quick slice.
NULL = "\\N"  # PostgreSQL's text-format null: backslashes are folded out of the text
CORPUS_SIZES = {"allsides.jsonl.zst": 37554, "reuters-2006-2013.jsonl.zst": 106494}


def read_records(path, limit):
    """Yields parsed JSON objects of one zstd JSON Lines file, at most `limit` (None: all)."""
    proc = subprocess.Popen(["zstd", "-dc", path], stdout=subprocess.PIPE)
    count = 0
    try:
        for line in proc.stdout:
            if limit is not None and count >= limit:
                break
            line = line.strip()
            if not line:
                continue
            yield json.loads(line)
            count += 1
    finally:
        proc.stdout.close()
        proc.kill()
        proc.wait()


def normalise(record):
    date = record.get("date") or None
    if date:
        date = date[:10]
    return {
        "id": str(record.get("id") or ""),
        "title": (record.get("title") or "").strip(),
        "outlet": (record.get("outlet") or "").strip(),
        "date": date,
        "body": record.get("body") or "",
    }


def tsv_field(text):
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ").replace("\\", " ")


def shifted(row, copy):
    """The `copy`-th replica of a row: a new id and the date moved by `copy` decades."""
    out = dict(row)
    out["id"] = f"{row['id']}~r{copy}"
    if row["date"]:
        year = int(row["date"][:4]) + 10 * copy
        month_day = row["date"][4:]
        if month_day == "-02-29" and not calendar.isleap(year):
            month_day = "-02-28"
        out["date"] = f"{year:04d}{month_day}"
    return out


def base_rows(corpus_dir, quick, files):
    total = sum(CORPUS_SIZES[name] for name in files)
    for name in files:
        limit = None
        if quick:
            limit = round(quick * CORPUS_SIZES[name] / total)
        for record in read_records(os.path.join(corpus_dir, name), limit):
            yield normalise(record)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--quick", type=int, default=0, help="articles in the slice; 0 = all")
    parser.add_argument("--scale", type=int, default=0, help="replicate up to this many articles")
    parser.add_argument("--only", choices=CORPUS_FILES, help="one corpus file instead of both")
    args = parser.parse_args()
    files = [args.only] if args.only else list(CORPUS_FILES)

    os.makedirs(args.out, exist_ok=True)
    meta_path = os.path.join(args.out, "meta.json")
    wanted = {"quick": args.quick, "scale": args.scale, "files": files}
    if os.path.exists(meta_path):
        with open(meta_path) as f:
            meta = json.load(f)
        if meta.get("made_with") == wanted:
            print(f"data: reusing {args.out} ({meta['articles']} articles)", file=sys.stderr)
            return

    rows, empty = [], 0
    for row in base_rows(args.corpus, args.quick, files):
        # Clippings rejects an article with no text (and says so); the peers would keep it.
        # Left out for every system, so that all of them index the same articles.
        if row["body"].strip():
            rows.append(row)
        else:
            empty += 1
    seen = collections.Counter()
    for row in rows:
        seen[row["id"]] += 1
        if seen[row["id"]] > 1:  # keep every article: a repeated id gets a suffix
            row["id"] = f"{row['id']}~d{seen[row['id']]}"
    base_count = len(rows)

    outlets = collections.Counter(row["outlet"] for row in rows)
    outlet_ids = {name: i + 1 for i, (name, _) in enumerate(outlets.most_common())}

    jsonl_bytes = tsv_bytes = count = undated = 0
    with open(os.path.join(args.out, "articles.jsonl"), "w", encoding="utf-8") as jf, \
            open(os.path.join(args.out, "articles.tsv"), "w", encoding="utf-8") as tf:
        copies = 1
        if args.scale > base_count:
            copies = -(-args.scale // base_count)
        for copy in range(copies):
            for row in rows:
                if args.scale and count >= args.scale:
                    break
                out = shifted(row, copy) if copy else row
                line = json.dumps(out, ensure_ascii=False) + "\n"
                jf.write(line)
                text = (out["id"], out["title"], out["outlet"], out["body"])
                fields = [tsv_field(x) for x in text]
                fields.insert(3, out["date"] or NULL)
                tsv = "\t".join(fields) + "\n"
                tf.write(tsv)
                jsonl_bytes += len(line.encode("utf-8"))
                tsv_bytes += len(tsv.encode("utf-8"))
                count += 1
                undated += 0 if out["date"] else 1

    with open(os.path.join(args.out, "outlets.tsv"), "w", encoding="utf-8") as f:
        for name, number in outlet_ids.items():
            f.write(f"{number}\t{tsv_field(name)}\n")

    meta = {
        "made_with": wanted,
        "articles": count,
        "base_articles": base_count,
        "replicated": count > base_count,
        "left_out_empty": empty,
        "outlets": len(outlet_ids),
        "undated": undated,
        "jsonl_bytes": jsonl_bytes,
        "tsv_bytes": tsv_bytes,
    }
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=1)
    print(f"data: {count} articles in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
