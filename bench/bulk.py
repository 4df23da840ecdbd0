#!/usr/bin/env python3
"""Grows a seeded bench database to a large dataset by direct inserts (the API would take hours
for a million bids): CALLS more published calls, each a copy of a call the API created (its
lines, criteria, requirement and OCDS releases), and BIDS_PER_CALL bids on each from BIDDERS providers, each
a copy of a bid the API stored. Copying rows the server wrote keeps every stored format
(timestamps, decimals, enums) exactly as the server writes it.

    bench/bulk.py sqlite:<file>|postgres:<url> <state.json> CALLS BIDS_PER_CALL BIDDERS
"""
import json
import sqlite3
import subprocess
import sys
import time

target, state_file, CALLS, PER_CALL, BIDDERS = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
state = json.load(open(state_file))
kind, _, where = target.partition(":")


def uid(table, n):
    return f"00000000-0000-7000-8{table:03x}-{n:012x}"


class Sqlite:
    def __init__(self, path):
        self.db = sqlite3.connect(path, timeout=60)

    def rows(self, table, column, value):
        cur = self.db.execute(f"SELECT * FROM {table} WHERE {column} = ?", (value,))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def insert(self, table, cols, rows):
        sql = f"INSERT INTO {table} ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})"
        self.db.executemany(sql, ([r[c] for c in cols] for r in rows))

    def finish(self):
        self.db.commit()
        self.db.execute("ANALYZE")
        self.db.commit()


class Postgres:
    """Rows as PostgreSQL's COPY text format: tab-separated, \\N for NULL, escapes kept as is
    (values overridden here are plain identifiers and titles)."""
    NULL = "\\N"

    def __init__(self, url):
        self.url = url

    def psql(self, *args, **kw):
        return subprocess.run(["psql", self.url, "-q", "-v", "ON_ERROR_STOP=1", *args], check=True, **kw)

    def rows(self, table, column, value):
        out = self.psql("-At", "-c", f"COPY (SELECT * FROM {table} WHERE {column} = '{value}') TO STDOUT WITH (HEADER)",
                        capture_output=True, text=True).stdout.splitlines()
        cols = out[0].split("\t")
        return [dict(zip(cols, line.split("\t"))) for line in out[1:]]

    def insert(self, table, cols, rows):
        p = subprocess.Popen(["psql", self.url, "-q", "-v", "ON_ERROR_STOP=1", "-c",
                              f"COPY {table} ({','.join(cols)}) FROM STDIN"], stdin=subprocess.PIPE, text=True)
        buf = []
        for r in rows:
            buf.append("\t".join(self.NULL if r[c] is None else str(r[c]) for c in cols))
            if len(buf) == 10000:
                p.stdin.write("\n".join(buf) + "\n")
                buf = []
        if buf:
            p.stdin.write("\n".join(buf) + "\n")
        p.stdin.close()
        if p.wait() != 0:
            raise SystemExit(f"COPY {table} failed")

    def finish(self):
        self.psql("-c", "ANALYZE")


db = Sqlite(where) if kind == "sqlite" else Postgres(where)
started = time.time()
template_call = db.rows("call_for_tenders", "id", state["calls"][0])[0]
lines = db.rows("call_line", "call_id", template_call["id"])
criteria = db.rows("quality_criterion", "call_id", template_call["id"])
requirements = db.rows("capability_requirement", "call_id", template_call["id"])
template_bid = db.rows("bid", "id", state["template_bid"])[0]
bid_lines = db.rows("bid_line", "bid_id", template_bid["id"])
template_org = db.rows("organization", "id", template_bid["bidder_id"])[0]
old_title = template_call["title"]


def copies(template, n, **override):
    cols = list(template)
    return cols, ({**template, **{k: f(i) for k, f in override.items()}} for i in range(n))


def insert(table, cols_rows):
    db.insert(table, *cols_rows)


insert("organization", copies(template_org, BIDDERS, id=lambda i: uid(1, i), name=lambda i: f"Bulk Provider {i} Oy",
                              business_id=lambda i: None, email=lambda i: None))
insert("call_for_tenders", copies(template_call, CALLS, id=lambda i: uid(2, i), title=lambda i: f"Kotihoito bulk {i}",
                                  search_text=lambda i: template_call["search_text"].replace(old_title.lower(), f"kotihoito bulk {i}")))
# Each copy's OCDS releases, as the server stored the template's (with the copy's id and title):
# a server starting on the grown database finds nothing to backfill, as in real life.
for row in db.rows("ocds_release", "call_id", template_call["id"]):
    insert("ocds_release", copies(row, CALLS, call_id=lambda i: uid(2, i),
                                  sections=lambda i, s=row["sections"]: s.replace(template_call["id"], uid(2, i))
                                  .replace(old_title, f"Kotihoito bulk {i}")))
for table, rows, code in [("call_line", lines, 3), ("quality_criterion", criteria, 4), ("capability_requirement", requirements, 5)]:
    for k, row in enumerate(rows):
        insert(table, copies(row, CALLS, id=lambda i, k=k, code=code: uid(code, i * 8 + k), call_id=lambda i: uid(2, i)))
insert("bid", copies(template_bid, CALLS * PER_CALL,
                     id=lambda j: uid(6, j), call_id=lambda j: uid(2, j // PER_CALL),
                     bidder_id=lambda j: uid(1, (j // PER_CALL + (j % PER_CALL) * (BIDDERS // PER_CALL)) % BIDDERS),
                     receipt=lambda j: f"{j:064x}"))
line_index = {l["id"]: k for k, l in enumerate(lines)}
for row in bid_lines:
    k = line_index[row["call_line_id"]]
    insert("bid_line", copies(row, CALLS * PER_CALL, bid_id=lambda j: uid(6, j),
                              call_line_id=lambda j, k=k: uid(3, (j // PER_CALL) * 8 + k)))
db.finish()
print(f"bulk: {CALLS} calls, {CALLS * PER_CALL} bids from {BIDDERS} providers in {time.time() - started:.0f} s")
