# SPDX-License-Identifier: MIT
"""table.py - write the scenario figures into a Markdown file.

    /usr/bin/python3 tests/scenario/table.py DOC.md LABEL=RESULTS.jsonl...

RESULTS.jsonl is what `tests/scenario/run.sh BUILD RESULTS.jsonl` wrote
(one JSON object per scenario).  One table per LABEL replaces the text
between "<!-- figures:begin -->" and "<!-- figures:end -->" in DOC.md.
"""
import json
import math
import sys

BEGIN, END = "<!-- figures:begin -->", "<!-- figures:end -->"


def fmt(x, f):
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) \
        else f % x


def table(label, path):
    out = ["**%s**" % label, "",
           "| scenario | issue item | true J | pact J | ± J | error % | "
           "truth within ± | checks failed |",
           "|---|---|---:|---:|---:|---:|---|---:|"]
    for line in open(path):
        r = json.loads(line)
        if "true_j" in r:
            inside = "yes" if r.get("inside") else "**no**"
            if r.get("lower_bound"):
                inside += " (lower bound)"
        else:
            inside = "n/a (refusal case)"
        out.append("| %s: %s | %s | %s | %s | %s | %s | %s | %d of %d |" % (
            r["name"], r.get("describe", ""), r.get("issue", ""),
            fmt(r.get("true_j"), "%.1f"), fmt(r.get("pact_j"), "%.1f"),
            fmt(r.get("u_j"), "%.1f"), fmt(r.get("err_pct"), "%+.2f"),
            inside, r.get("failed", 0), r.get("checks", 0)))
    return "\n".join(out) + "\n"


def main():
    doc = sys.argv[1]
    text = open(doc).read()
    a, b = text.index(BEGIN) + len(BEGIN), text.index(END)
    body = "\n" + "\n".join(table(*arg.split("=", 1))
                            for arg in sys.argv[2:]) + "\n"
    open(doc, "w").write(text[:a] + body + text[b:])


if __name__ == "__main__":
    main()
