#!/usr/bin/env python3
"""Writes the hostile inputs of the hardening round (issue 29) into a folder, one file per case,
so that each finding can be reproduced by hand and re-run after a change:

    python3 tests/hostile/generate.py /tmp/hostile          # every case
    python3 tests/hostile/generate.py /tmp/hostile expr-when alias-map

Each case prints the command that reproduces it (run from the repository, with build/chokepoint).
Sizes are those of the report; the tests use smaller versions of the same shapes.
"""
import os
import sys

GRAPH = "data/examples/minimal.yaml"


def write(folder, name, text):
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return path


def expr_when(d):
    """A rule whose `when` is a flat chain of 25,000 terms (High 1)."""
    p = write(d, "expr-when.yaml", 'rules:\n  - id: long\n    when: "%s > 0"\n    severity: low\n'
              '    score: 1\n    message: "{name}"\n' % "+".join(["1"] * 25000))
    return "build/chokepoint analyze %s --rules %s -o /tmp/r.json" % (GRAPH, p)


def expr_items(d):
    """A control whose `items` is 50,000 `true`s joined by `and` (High 1)."""
    p = write(d, "expr-items.yaml", "scenario:\n  controls:\n    - by: [US]\n      against: [CN]\n"
              "      items: '%s'\n" % " and ".join(["true"] * 50000))
    return "build/chokepoint whatif %s -s %s -o /tmp/r.json" % (GRAPH, p)


def expr_not(d):
    """50,000 `not`s in front of one value (High 1: unary chains)."""
    p = write(d, "expr-not.yaml", "scenario:\n  controls:\n    - by: [US]\n      against: [CN]\n"
              "      items: '%s true'\n" % " ".join(["not"] * 50000))
    return "build/chokepoint whatif %s -s %s -o /tmp/r.json" % (GRAPH, p)


def alias_map(d):
    """5,000 nodes whose maps hold three aliases of a 30 KB scalar (Medium 5)."""
    big = "x" * 30000
    lines = ["nodes:\n", "  - {id: n0, kind: firm, name: &a %s}\n" % big]
    for i in range(1, 5000):
        lines.append("  - {id: n%d, kind: firm, name: *a, attrs: {a: *a, b: *a}}\n" % i)
    p = write(d, "alias-map.yaml", "".join(lines))
    return "build/chokepoint validate %s" % p


def alias_names(d):
    """150,000 nodes named by one alias of a 100 KB scalar (Medium 5)."""
    big = "x" * 100000
    lines = ["nodes:\n", "  - {id: n0, kind: firm, name: &a %s}\n" % big]
    for i in range(1, 150000):
        lines.append("  - {id: n%d, kind: firm, name: *a}\n" % i)
    p = write(d, "alias-names.yaml", "".join(lines))
    return "build/chokepoint validate %s" % p


def dangling_line(d):
    """2,000 dangling references on one 2.5 MB flow-style line (Medium 7)."""
    pad = "p" * 1200
    members = ", ".join("missing-%d-%s" % (i, pad) for i in range(2000))
    p = write(d, "dangling-line.yaml", "nodes:\n  - {id: t, kind: chip, target: true, inputs: [%s]}\n"
              % members)
    return "build/chokepoint validate %s" % p


def unknown_removes(d):
    """1,000 unknown ids in a scenario's `remove` (Medium 7: "did you mean" for each)."""
    p = write(d, "unknown-removes.yaml", "scenario:\n  remove: [%s]\n"
              % ", ".join("unknown-node-%d" % i for i in range(1000)))
    return "build/chokepoint whatif %s -s %s" % (GRAPH, p)


def alias_jurisdiction(d):
    """A bad jurisdiction repeated through 200,000 aliases in a scenario (Medium 7)."""
    p = write(d, "alias-jurisdiction.yaml", "scenario:\n  remove_jurisdictions: [&j XX, %s]\n"
              % ", ".join(["*j"] * 200000))
    return "build/chokepoint whatif %s -s %s" % (GRAPH, p)


def long_message(d):
    """A rule message of 10,000 {name} over a graph whose names are 100 bytes (Medium 9)."""
    p = write(d, "long-message.yaml", 'rules:\n  - id: loud\n    when: "true"\n    severity: low\n'
              '    score: 1\n    message: "%s"\n' % ("{name}" * 10000))
    lines = ["nodes:\n"]
    for i in range(10000):
        lines.append("  - {id: n%d, kind: firm, name: %s}\n" % (i, "N" * 100))
    lines.append("  - {id: t, kind: capability, target: true, suppliers: [%s]}\n"
                 % ", ".join("n%d" % i for i in range(10000)))
    g = write(d, "long-message-graph.yaml", "".join(lines))
    return "build/chokepoint analyze %s --rules %s -o /tmp/r.json" % (g, p)


def noncharacters(d):
    """Names with noncharacters, bidi overrides and control bytes (Medium 10, Low)."""
    g = write(d, "noncharacters.yaml",
              "nodes:\n"
              "  - {id: a, kind: firm, name: \"A\\uFFFE\\uFFFF\\uFDD0 \\u202Eevil\\u202C\"}\n"
              "  - {id: b, kind: chip, name: \"=cmd\\u00A0=1\", suppliers: [a], "
              "attrs: {note: \"\\x1B[31m\\x07\\x0B\\x7F\"}}\n"
              "  - {id: c, kind: capability, name: \"\\u3000=2 \\uFE66 \\u200B=3 \\uFEFF=4\", "
              "target: true, inputs: [b]}\n")
    return ("build/chokepoint render %s -o /tmp/r.svg; build/chokepoint render %s -o /tmp/r.pdf; "
            "build/chokepoint analyze %s --format csv -o /tmp/r.csv" % (g, g, g))


CASES = {
    "expr-when": expr_when,
    "expr-items": expr_items,
    "expr-not": expr_not,
    "alias-map": alias_map,
    "alias-names": alias_names,
    "dangling-line": dangling_line,
    "unknown-removes": unknown_removes,
    "alias-jurisdiction": alias_jurisdiction,
    "long-message": long_message,
    "noncharacters": noncharacters,
}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    for name in sys.argv[2:] or CASES:
        print("%-20s %s" % (name, CASES[name](folder)))


if __name__ == "__main__":
    main()
