#!/usr/bin/env python3
"""Turns one harness run's raw figures (wrk's JSON lines, the stored-bid count, peak RSS, the
evaluate output) into a table, a check against the targets of issues 9 and 21 (every figure
side by side with the floor of the same run), and bench/results-<database>.json."""
import json
import os
import re
import sys

work, db, calls, t, c, rushes = sys.argv[1:]
rushes = rushes.split()
order = ["floor", "public-list", "call-detail", "public-list-signed-in", "call-detail-signed-in",
         "public-list@bulk", "call-detail@bulk", "public-list-signed-in@bulk", "call-detail-signed-in@bulk",
         "deadline-rush", "rush-replica-a", "rush-replica-b"]
r = {k: json.load(open(f"{work}/{k}.json")) for k in order if os.path.exists(f"{work}/{k}.json")}

bids, versions = map(int, open(f"{work}/stored.txt").read().split())
acked = sum(r[k]["acknowledged"] for k in rushes)
# wrk stops counting at the end of its run; submissions in flight then are stored but not
# counted as acknowledged, so stored may exceed acknowledged by at most the connections.
check = {"acknowledged": acked, "stored_submissions": versions, "stored_bids": bids,
         "lost": max(0, acked - versions), "in_flight_at_end": versions - acked}
rss = [int(open(f"{work}/{f}").read()) for f in ["rss.txt", "rss2.txt"] if os.path.exists(f"{work}/{f}")]

evaluate = {}
text = open(f"{work}/evaluate.txt").read()
for key, pattern in [("service_s", r"evaluate 10000 bids \(load.*?service: \[(.*?)\]"),
                     ("graphql_s", r"GraphQL \(call\.evaluation\.results\): \[(.*?)\]"),
                     ("lot_service_s", r"evaluate lot 1 of 5 .*?service: \[(.*?)\]"),
                     ("lots_graphql_s", r"GraphQL \(call\.lots\.evaluation\.results\): \[(.*?)\]")]:
    m = re.search(pattern, text)
    if m:
        def secs(d):
            v, unit = re.match(r"([\d.]+)(\w+)", d.strip()).groups()
            return float(v) * {"s": 1, "ms": 1e-3, "µs": 1e-6, "us": 1e-6, "ns": 1e-9}[unit]
        evaluate[key] = [round(secs(d), 3) for d in m.group(1).split(",")]

out = {"database": db, "calls": int(calls), "seconds": int(t), "connections": int(c),
       "peak_rss_mib": [round(x / 1024, 1) for x in rss], "rush_check": check, "evaluate": evaluate, "scenarios": r}
print(f"\n{'scenario':<28} {'req/s':>10} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}")
for k, v in r.items():
    print(f"{k:<28} {v['rps']:>10.1f} {v['p50_ms']:>8.2f} {v['p90_ms']:>8.2f} {v['p99_ms']:>8.2f}")
print(f"deadline rush ({' + '.join(rushes)}): acknowledged {acked}, stored submissions {versions} in {bids} bids, "
      f"lost {check['lost']}, in flight when wrk stopped {check['in_flight_at_end']}")
if evaluate:
    print(f"evaluate 10 000 bids: service {evaluate.get('service_s')} s, GraphQL {evaluate.get('graphql_s')} s")
    print(f"evaluate 10 000 bids over 5 lots: one lot (service) {evaluate.get('lot_service_s')} s, "
          f"every lot (GraphQL) {evaluate.get('lots_graphql_s')} s")
print(f"server peak RSS: {out['peak_rss_mib']} MiB")

targets = []
def target(name, ok, measured):
    targets.append({"target": name, "met": ok, "measured": measured})
fl, pl = r["floor"], r["public-list"]
target("public-list >= 0.25 x floor", pl["rps"] >= 0.25 * fl["rps"], f"{pl['rps'] / fl['rps']:.2f} x floor")
target("public-list p99 <= 20 ms", pl["p99_ms"] <= 20, f"{pl['p99_ms']:.1f} ms")
for k in ["public-list-signed-in", "call-detail-signed-in",
          "public-list-signed-in@bulk", "call-detail-signed-in@bulk"]:
    if k in r:
        x = r[k]
        target(f"{k} >= 0.25 x floor", x["rps"] >= 0.25 * fl["rps"],
               f"{x['rps']:.0f} req/s = {x['rps'] / fl['rps']:.3f} x floor ({fl['rps']:.0f})")
        target(f"{k} p99 <= 50 ms", x["p99_ms"] <= 50, f"{x['p99_ms']:.1f} ms")
rush = r["deadline-rush"]
target("deadline-rush >= 2000 bids/s", rush["rps"] >= 2000,
       f"{rush['rps']:.0f} bids/s ({rush['rps'] / fl['rps']:.3f} x floor)")
target("deadline-rush p99 <= 100 ms", rush["p99_ms"] <= 100, f"{rush['p99_ms']:.0f} ms")
target("deadline-rush none lost or duplicated", check["lost"] == 0 and check["in_flight_at_end"] >= 0,
       f"lost {check['lost']}, {bids} bids (one per provider), {check['in_flight_at_end']} in flight at the end")
if "rush-replica-a" in r and "rush-replica-b" in r:
    both = r["rush-replica-a"]["rps"] + r["rush-replica-b"]["rps"]
    target("two replicas >= 1.6 x one replica", both >= 1.6 * rush["rps"],
           f"{both:.0f} / {rush['rps']:.0f} bids/s = {both / rush['rps']:.2f} x")
if evaluate.get("service_s"):
    target("evaluate 10 000 bids <= 0.25 s", max(evaluate["service_s"]) <= 0.25, f"{max(evaluate['service_s']):.3f} s")
if evaluate.get("lot_service_s"):
    target("evaluate a lot of 10 000 bids over 5 lots <= 0.25 s", max(evaluate["lot_service_s"]) <= 0.25,
           f"{max(evaluate['lot_service_s']):.2f} s")
for k in ["public-list", "call-detail", "public-list-signed-in", "call-detail-signed-in"]:
    if f"{k}@bulk" in r:
        small, big = r[k]["p99_ms"], r[f"{k}@bulk"]["p99_ms"]
        target(f"{k} p99 at 100k calls <= 1.5 x at 1k", big <= 1.5 * small, f"{big:.1f} / {small:.1f} ms = {big / small:.2f}")
target("server RSS <= 150 MB", max(rss) / 1024 * 1.048576 <= 150, f"{max(rss) / 1024:.0f} MiB")
out["targets"] = targets
print()
for x in targets:
    print(f"{'MET ' if x['met'] else 'NOT '} {x['target']:<45} {x['measured']}")
json.dump(out, open(f"bench/results-{db}.json", "w"), indent=2)
print(f"JSON: bench/results-{db}.json")
