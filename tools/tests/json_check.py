#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Validate ptshare --json documents against doc/ptshare-json.schema.json.

usage: json_check.py SCHEMA FILE...   (each FILE holds one document)
Prints one line per invalid document (file, JSON path, why; a member twice
in one object is invalid too) and exits 1 if any is invalid, 0 if all are
valid.
"""
import json
import sys

import jsonschema


class Duplicate(ValueError):
    pass


def no_duplicates(pairs):
    """A member twice in one object is an error (json.load keeps the last)."""
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise Duplicate(f"member {k!r} twice in one object")
        seen[k] = v
    return seen


def main():
    schema = json.load(open(sys.argv[1]))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    bad = 0
    for name in sys.argv[2:]:
        try:
            doc = json.load(open(name), object_pairs_hook=no_duplicates)
        except ValueError as e:
            print(f"{name}: not JSON: {e}")
            bad += 1
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:3]:
            path = "".join(f"[{p!r}]" for p in e.absolute_path) or "(top)"
            print(f"{name}: {path}: {e.message[:300]}")
        bad += bool(errors)
    print(f"{len(sys.argv) - 2 - bad} valid, {bad} invalid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
