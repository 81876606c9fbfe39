#!/usr/bin/env python3
"""Validates JSON files against chokepoint's report schema; prints one line per invalid file.

    tests/validate_json.py SCHEMA FILE...     exit 0 when every file is valid
"""
import json
import sys

import jsonschema


def main():
    schema = json.load(open(sys.argv[1]))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for path in sys.argv[2:]:
        errors = sorted(validator.iter_errors(json.load(open(path))), key=lambda e: list(e.path))
        for e in errors[:3]:
            print("%s: %s: %s" % (path, "/".join(str(p) for p in e.path), e.message[:200]))
        bad += bool(errors)
    print("%d of %d valid" % (len(sys.argv) - 2 - bad, len(sys.argv) - 2))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
