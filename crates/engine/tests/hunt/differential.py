"""The Python side of the differential test (crates/engine/tests/hunt_differential.rs).

Usage: differential.py DIR CORPUS NOW

DIR holds `tables/*.json` (each table the engine queried) and `results/NAME.json` (the
engine's output for each query of CORPUS). This loads the tables into DuckDB, runs each
query through duckdb-kql with `now()` pinned to NOW, and compares the rows: in order when the
case says `// @ordered`, in any order otherwise, with times, numbers and dynamic values
normalised. A case marked `// @duckdb: refuses …` must still be refused by duckdb-kql, and
one marked `// @duckdb: differs …` must still differ, so that the marks stay true.
Exits 1 on any disagreement, listing each.
"""

import datetime
import json
import math
import pathlib
import sys

import duckdb
import duckdb_kql

SQL_TYPES = {
    "string": "VARCHAR",
    "long": "BIGINT",
    "real": "DOUBLE",
    "bool": "BOOLEAN",
    "datetime": "TIMESTAMP",
    "timespan": "INTERVAL",
    "dynamic": "JSON",
}


def parse_corpus(text):
    cases = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("// @name:"):
            cases.append({"name": stripped[len("// @name:"):].strip(), "line": number,
                          "ordered": False, "duckdb": None, "query": []})
            continue
        if not cases:
            continue
        case = cases[-1]
        if stripped == "// @ordered":
            case["ordered"] = True
        elif stripped.startswith("// @duckdb:"):
            case["duckdb"] = stripped[len("// @duckdb:"):].strip()
        elif stripped.startswith("// @"):
            pass
        else:
            case["query"].append(line)
    for case in cases:
        case["query"] = "\n".join(case["query"]).strip()
    return cases


def parse_time(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")


def load(con, path):
    table = json.loads(path.read_text())
    columns = table["columns"]
    ddl = ", ".join(f'"{c["name"]}" {SQL_TYPES[c["type"]]}' for c in columns)
    con.execute(f'CREATE TABLE "{table["name"]}" ({ddl})')
    rows = []
    for row in table["rows"]:
        values = []
        for column, value in zip(columns, row):
            if value is not None and column["type"] == "datetime":
                value = parse_time(value)
            elif value is not None and column["type"] == "dynamic":
                value = json.dumps(value)
            values.append(value)
        rows.append(values)
    marks = ", ".join("?" for _ in columns)
    if rows:
        con.executemany(f'INSERT INTO "{table["name"]}" VALUES ({marks})', rows)


def timespan_ms(text):
    """Kusto's `[-][d.]hh:mm:ss[.fffffff]` as milliseconds."""
    negative = text.startswith("-")
    text = text.lstrip("-")
    days = 0
    clock = text
    if "." in text.split(":")[0]:
        day_text, clock = text.split(".", 1)
        days = int(day_text)
    hours, minutes, seconds = clock.split(":")
    ms = round(float(seconds) * 1000)
    total = ((days * 24 + int(hours)) * 60 + int(minutes)) * 60_000 + ms
    return -total if negative else total


def canonical_dynamic(value):
    """A dynamic value with its arrays sorted: make_set and make_list have no defined order."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, list):
        return sorted((canonical_dynamic(v) for v in value), key=lambda v: json.dumps(v))
    return value


def normalise(value, kind, ours):
    """One cell as a comparable value; `ours` says it comes from the engine's JSON."""
    if kind == "string":
        return "" if value is None else str(value)
    if value is None:
        return None
    if kind == "long":
        return int(value)
    if kind == "real":
        if isinstance(value, str):
            return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[value]
        return float(value)
    if kind == "bool":
        return bool(value)
    if kind == "datetime":
        if ours:
            return value
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if kind == "timespan":
        if ours:
            return timespan_ms(value)
        return round(value.total_seconds() * 1000)
    if kind == "dynamic":
        return canonical_dynamic(value)
    return value


def same_cell(a, b):
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) and math.isnan(b):
            return True
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def same_rows(ours, theirs, ordered):
    if len(ours) != len(theirs):
        return False
    if not ordered:
        key = lambda row: json.dumps(row, default=str)
        ours = sorted(ours, key=key)
        theirs = sorted(theirs, key=key)
    return all(len(a) == len(b) and all(same_cell(x, y) for x, y in zip(a, b))
               for a, b in zip(ours, theirs))


def compare(con, case, result, now):
    """None when duckdb-kql agrees, else what differs."""
    kinds = [c["type"] for c in result["columns"]]
    names = [c["name"] for c in result["columns"]]
    cursor = duckdb_kql.kql(con, case["query"], query_now=now)
    their_names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    if their_names != names:
        return f"columns {names}, duckdb-kql {their_names}"
    ours = [[normalise(v, k, True) for v, k in zip(row, kinds)] for row in result["rows"]]
    theirs = [[normalise(v, k, False) for v, k in zip(row, kinds)] for row in rows]
    if same_rows(ours, theirs, case["ordered"]):
        return None
    shown = lambda rs: "\n      ".join(json.dumps(r, default=str) for r in rs[:12])
    return f"rows\n      {shown(ours)}\n    duckdb-kql\n      {shown(theirs)}"


def main():
    directory = pathlib.Path(sys.argv[1])
    cases = parse_corpus(pathlib.Path(sys.argv[2]).read_text())
    now = parse_time(sys.argv[3].replace("Z", ".000Z"))
    con = duckdb_kql.connect()
    for path in sorted((directory / "tables").glob("*.json")):
        load(con, path)
    failures = []
    compared = refused = differs = 0
    for case in cases:
        place = f"corpus.kql:{case['line']} `{case['name']}`"
        result = json.loads((directory / "results" / f"{case['name']}.json").read_text())
        mark = case["duckdb"] or ""
        try:
            difference = compare(con, case, result, now)
        except (duckdb_kql.KqlError, duckdb.Error) as e:
            # A table DuckDB does not hold is a DuckDB error, not a KQL one.
            if mark.startswith("refuses"):
                refused += 1
            else:
                failures.append(f"{place}: duckdb-kql refuses it: {type(e).__name__}: {e}")
            continue
        if mark.startswith("refuses"):
            failures.append(f"{place}: marked as refused, but duckdb-kql runs it now "
                            f"({'it agrees' if difference is None else difference}): update the mark")
        elif mark.startswith("differs"):
            if difference is None:
                failures.append(f"{place}: marked as differing, but duckdb-kql agrees now: remove the mark")
            else:
                differs += 1
        elif difference is not None:
            failures.append(f"{place}: {difference}")
        else:
            compared += 1
    print(f"duckdb-kql {duckdb_kql.__version__}, duckdb {duckdb.__version__}: "
          f"{compared} queries give the same rows, {refused} are refused by duckdb-kql and "
          f"{differs} differ from Kusto there (both checked against rows written by hand), "
          f"{len(failures)} disagree")
    for f in failures:
        print(f"  {f}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
