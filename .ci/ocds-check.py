#!/usr/bin/env python3
"""ocds-check FILE...: what the OCDS schema cannot say, checked on release and record
packages: release ids unique within an ocid, every date RFC 3339, every amount a JSON number,
and each record's compiled release equal to merging its releases (an independent
implementation of the OCDS merge). Exit 1 on any problem."""
import json
import re
import sys

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
DATE_KEYS = {"date", "startDate", "endDate", "publishedDate", "dateSigned", "maxExtentDate"}


def walk(value, path, problems):
    if isinstance(value, dict):
        for k, v in value.items():
            p = f"{path}/{k}"
            if k in DATE_KEYS and v is not None and not (isinstance(v, str) and RFC3339.match(v)):
                problems.append(f"{p}: not an RFC 3339 date-time: {v!r}")
            if k == "amount" and v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
                problems.append(f"{p}: amount is not a JSON number: {v!r}")
            walk(v, p, problems)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            walk(v, f"{path}/{i}", problems)


def identified(items):
    return bool(items) and all(isinstance(i, dict) and i.get("id") is not None for i in items)


def merge(target, update):
    if isinstance(target, dict) and isinstance(update, dict):
        out = dict(target)
        for k, v in update.items():
            if v is None:
                out.pop(k, None)
            elif k in out:
                out[k] = merge(out[k], v)
            else:
                out[k] = merge({}, v) if isinstance(v, dict) else v
        return out
    if isinstance(target, list) and isinstance(update, list) and identified(update) and (not target or identified(target)):
        out = list(target)
        for item in update:
            for i, existing in enumerate(out):
                if existing.get("id") == item.get("id"):
                    out[i] = merge(existing, item)
                    break
            else:
                out.append(item)
        return out
    return update


def compile_releases(ocid, releases):
    compiled = {}
    ordered = sorted(releases, key=lambda r: r.get("date", ""))
    for r in ordered:
        compiled = merge(compiled, r)
    compiled["id"] = f"{ocid}-{ordered[-1]['date']}" if ordered else ocid
    compiled["tag"] = ["compiled"]
    return compiled


def check(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    problems = []
    walk(doc, "", problems)
    groups = []
    if "records" in doc:
        for n, rec in enumerate(doc["records"]):
            groups.append((f"/records/{n}", rec.get("ocid"), rec.get("releases") or []))
            expected = compile_releases(rec.get("ocid"), rec.get("releases") or [])
            if rec.get("compiledRelease") != expected:
                problems.append(f"/records/{n}/compiledRelease: differs from merging the record's releases")
    else:
        by_ocid = {}
        for r in doc.get("releases") or []:
            by_ocid.setdefault(r.get("ocid"), []).append(r)
        groups.extend(("/releases", o, rs) for o, rs in by_ocid.items())
    for where, ocid, releases in groups:
        ids = [r.get("id") for r in releases]
        if len(ids) != len(set(ids)):
            problems.append(f"{where}: release ids are not unique within {ocid}: {ids}")
    for p in problems:
        print(f"{path}: {p}")
    if not problems:
        print(f"{path}: ids unique, dates RFC 3339, amounts numbers" + (", compiled release = merged releases" if "records" in doc else ""))
    return len(problems)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(1 if sum(check(p) for p in sys.argv[1:]) else 0)
