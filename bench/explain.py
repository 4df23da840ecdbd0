#!/usr/bin/env python3
"""Prints the query plans of the statements behind public-list and call-detail, on the bench
database after the bulk seeding (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL).
The statements are the ones the server sends (the shapes of service/calls.rs and the
DataLoaders in graphql/loaders.rs), with one call's ids filled in.

    bench/explain.py sqlite:<file>|postgres:<url> <call id>
"""
import sqlite3
import subprocess
import sys

target, call_id = sys.argv[1], sys.argv[2]
kind, _, where = target.partition(":")
page_ids = "SELECT id FROM call_for_tenders WHERE published_at IS NOT NULL ORDER BY id DESC LIMIT 20"
statements = {
    "public-list: totalCount": "SELECT COUNT(*) FROM call_for_tenders WHERE published_at IS NOT NULL",
    "public-list: the page (keyset on id)": "SELECT * FROM call_for_tenders WHERE published_at IS NOT NULL ORDER BY id DESC LIMIT 21",
    "public-list: next page after a cursor": f"SELECT * FROM call_for_tenders WHERE published_at IS NOT NULL AND id < '{call_id}' ORDER BY id DESC LIMIT 21",
    "public-list: lines of the page (DataLoader)": f"SELECT * FROM call_line WHERE call_id IN ({page_ids}) ORDER BY call_id, position",
    "public-list: orderers of the page (DataLoader)": f"SELECT * FROM organization WHERE id IN (SELECT orderer_id FROM call_for_tenders WHERE id IN ({page_ids}))",
    "call-detail: the call": f"SELECT * FROM call_for_tenders WHERE id = '{call_id}'",
    "call-detail: quality criteria": f"SELECT * FROM quality_criterion WHERE call_id IN ('{call_id}') ORDER BY position",
    "call-detail: capability requirements": f"SELECT * FROM capability_requirement WHERE call_id IN ('{call_id}') ORDER BY position",
    "call-detail: questions": f"SELECT * FROM question WHERE call_id IN ('{call_id}')",
    "call-detail: bidCount": f"SELECT COUNT(*) FROM bid WHERE call_id = '{call_id}'",
}
for name, sql in statements.items():
    print(f"-- {name}\n{sql}")
    if kind == "sqlite":
        db = sqlite3.connect(where)
        for row in db.execute(f"EXPLAIN QUERY PLAN {sql}"):
            print(f"   {row[3]}")
    else:
        out = subprocess.run(["psql", where, "-At", "-c", f"EXPLAIN (ANALYZE, COSTS OFF) {sql}"],
                             capture_output=True, text=True, check=True).stdout
        print("".join(f"   {line}\n" for line in out.splitlines()), end="")
    print()
