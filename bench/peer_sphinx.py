"""Sphinx 2.2 (Debian's sphinxsearch): indexer + searchd, SphinxQL over the MySQL protocol.

Sphinx wants integer document ids and numeric attributes, so the shared TSV is converted once
(before timing) into Sphinx's tsvpipe input: row number, title, body (both full-text fields
kept as string attributes, for the hits and for CALL SNIPPETS), outlet number, date as
YYYYMMDD and month as YYYYMM. A query is one SELECT with two FACETs (top 10 by the default
proximity_bm25 ranker with title weighted 3, outlets, months) plus SHOW META for the exact
total, then CALL SNIPPETS on the 10 bodies.
"""

import os
import subprocess

import pymysql

from common import (ServerProcess, dir_bytes, free_port, fresh_dir, run_clients, run_timed,
                    wait_for_port)

CONFIG = """
source articles
{{
  type = tsvpipe
  tsvpipe_command = cat {tsv}
  tsvpipe_field_string = title
  tsvpipe_field_string = body
  tsvpipe_attr_uint = outlet_id
  tsvpipe_attr_uint = date_i
  tsvpipe_attr_uint = ym
}}

index articles
{{
  source = articles
  path = {work}/index/articles
  morphology = stem_en
  dict = keywords
  docinfo = extern
  min_word_len = 1
}}

indexer
{{
  mem_limit = 1024M
}}

searchd
{{
  listen = 127.0.0.1:{port}:mysql41
  log = {work}/searchd.log
  pid_file = {work}/searchd.pid
  workers = threads
  binlog_path =
  max_matches = 1000
}}
"""
SELECT_SQL = ("SELECT id, title, outlet_id, date_i, body FROM articles WHERE MATCH(%s){filters} "
              "ORDER BY WEIGHT() DESC LIMIT 10 OPTION field_weights=(title=3, body=1) "
              "FACET outlet_id ORDER BY COUNT(*) DESC LIMIT 20 "
              "FACET ym ORDER BY ym ASC LIMIT 1000")
SNIPPETS_SQL = ("CALL SNIPPETS(({placeholders}), 'articles', %s, '<mark>' AS before_match, "
                "'</mark>' AS after_match, 240 AS limit)")


def sphinx_query(query):
    terms = query["terms"]
    if query["class"] == "or":
        return f"{terms[0]} | {terms[1]}"
    if query["class"] == "phrase":
        return '"' + " ".join(terms) + '"'
    return " ".join(terms)


class Session:
    def __init__(self, port, outlet_ids):
        self.conn = pymysql.connect(host="127.0.0.1", port=port, user="", autocommit=True)
        self.cur = self.conn.cursor()
        self.outlet_ids = outlet_ids

    def search(self, query):
        text = sphinx_query(query)
        filters, params = "", [text]
        if query["outlet"]:
            filters += f" AND outlet_id = {self.outlet_ids[query['outlet']]}"
        if query["from"]:
            start, end = (int(query[k].replace("-", "")) for k in ("from", "to"))
            filters += f" AND date_i BETWEEN {start} AND {end}"
        self.cur.execute(SELECT_SQL.format(filters=filters), params)
        hits = self.cur.fetchall()
        self.cur.nextset()
        self.cur.fetchall()  # outlets
        self.cur.nextset()
        self.cur.fetchall()  # months
        self.cur.execute("SHOW META LIKE 'total_found'")
        total = int(self.cur.fetchone()[1])
        if hits:
            bodies = [hit[4] for hit in hits]
            sql = SNIPPETS_SQL.format(placeholders=", ".join(["%s"] * len(bodies)))
            self.cur.execute(sql, bodies + [text])
            assert len(self.cur.fetchall()) == len(hits)
        assert len(hits) == min(10, total)
        return total

    def close(self):
        self.conn.close()


def convert(data_dir, out_path):
    """articles.tsv -> tsvpipe rows; returns {outlet name: number}."""
    outlet_ids = {}
    with open(os.path.join(data_dir, "outlets.tsv"), encoding="utf-8") as f:
        for line in f:
            number, name = line.rstrip("\n").split("\t")
            outlet_ids[name] = int(number)
    with open(os.path.join(data_dir, "articles.tsv"), encoding="utf-8") as src, \
            open(out_path, "w", encoding="utf-8") as out:
        for number, line in enumerate(src, 1):
            _, title, outlet, date, body = line.rstrip("\n").split("\t")
            day = 0 if date == "\\N" else int(date.replace("-", ""))
            out.write(f"{number}\t{title}\t{body}\t{outlet_ids[outlet]}\t{day}\t{day // 100}\n")
    return outlet_ids


class SphinxPeer(ServerProcess):
    name = "sphinx"
    label = "Sphinx 2.2"
    memory_how = "max RSS of indexer, /usr/bin/time -v"

    def __init__(self, work, data_dir):
        self.work = os.path.join(work, "sphinx")
        self.data_dir = data_dir
        self.config = os.path.join(self.work, "sphinx.conf")
        self.port = None
        self.proc = None
        self.outlet_ids = {}

    def index(self):
        fresh_dir(self.work)
        os.makedirs(os.path.join(self.work, "index"))
        tsv = os.path.join(self.work, "articles.sphinx.tsv")
        self.outlet_ids = convert(self.data_dir, tsv)
        self.port = free_port()
        with open(self.config, "w") as f:
            f.write(CONFIG.format(tsv=tsv, work=self.work, port=self.port))
        wall, rss = run_timed(["indexer", "--config", self.config, "--all"],
                              log_path=os.path.join(self.work, "indexer.log"))
        return {"seconds": wall, "peak_memory_kib": rss,
                "index_bytes": dir_bytes(os.path.join(self.work, "index"))}

    def start(self):
        log = open(os.path.join(self.work, "searchd.out"), "ab")
        self.proc = subprocess.Popen(["searchd", "--config", self.config, "--nodetach"],
                                     stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(self.port)

    def session(self):
        return Session(self.port, self.outlet_ids)

    def run(self, queries, clients):
        return run_clients(self.session, queries, clients)

