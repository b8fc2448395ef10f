#!/usr/bin/env python3
"""Validate a book export against the published JSON Schema.

usage: check_schema.py SCHEMA.json EXPORT.zip

manifest.json is checked against $defs.manifest and every line of every
record part <domain>/<table>.jsonl against $defs["<domain>.<table>"]; each
part's SHA-256 and record count against the manifest. With the jsonschema
package (Debian: python3-jsonschema) the validation is jsonschema's own;
without it, a small validator of the keywords the schema uses (type,
required, properties, additionalProperties, pattern, const, minimum, items,
oneOf) does it, and says so.
"""

import hashlib
import json
import re
import sys
import zipfile

try:
    import jsonschema  # type: ignore
except ImportError:  # pragma: no cover - depends on the machine
    jsonschema = None

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "null": lambda v: v is None,
}


def errors(schema, value, where):
    """The problems of value under schema (the keywords the schema uses)."""
    out = []
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[n](value) for n in names):
            return ["%s: %r is not of type %s" % (where, value, "/".join(names))]
    if "const" in schema and value != schema["const"]:
        out.append("%s: %r is not %r" % (where, value, schema["const"]))
    if "pattern" in schema and isinstance(value, str) \
            and not re.search(schema["pattern"], value):
        out.append("%s: %r does not match %s" % (where, value, schema["pattern"]))
    if "minimum" in schema and TYPES["integer"](value) and value < schema["minimum"]:
        out.append("%s: %r is below %r" % (where, value, schema["minimum"]))
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                out.append("%s: %s is required" % (where, key))
        for key, v in value.items():
            if key in props:
                out += errors(props[key], v, where + "." + key)
            elif schema.get("additionalProperties") is False:
                out.append("%s: %s is not allowed" % (where, key))
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            out += errors(schema["items"], v, "%s[%d]" % (where, i))
    if "oneOf" in schema:
        ok = sum(1 for s in schema["oneOf"] if not errors(s, value, where))
        if ok != 1:
            out.append("%s: matches %d of the oneOf alternatives, not 1" % (where, ok))
    return out


def validator(schema, name):
    """A function value -> list of messages, for $defs[name]."""
    sub = dict(schema)
    sub.pop("$defs", None)
    sub = {"$schema": schema.get("$schema"), "$defs": schema["$defs"],
           "$ref": "#/$defs/" + name}
    if jsonschema is not None:
        v = jsonschema.Draft202012Validator(sub)
        return lambda value, where: ["%s: %s" % (where, e.message)
                                     for e in v.iter_errors(value)]
    return lambda value, where: errors(schema["$defs"][name], value, where)


def main():
    schema_path, export_path = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    problems = []
    checked = 0
    with zipfile.ZipFile(export_path) as z:
        manifest = json.loads(z.read("manifest.json"))
        problems += validator(schema, "manifest")(manifest, "manifest.json")
        for part in manifest["parts"]:
            data = z.read(part["name"])
            if hashlib.sha256(data).hexdigest() != part["sha256"]:
                problems.append("%s: SHA-256 differs from the manifest" % part["name"])
            if part["kind"] == "content":
                continue
            name = "%s.%s" % (part["domain"], part["kind"])
            if name not in schema["$defs"]:
                problems.append("%s: no definition %s in the schema" % (part["name"], name))
                continue
            check = validator(schema, name)
            lines = data.decode("utf-8").splitlines()
            if len(lines) != part["records"]:
                problems.append("%s: %d records, the manifest says %d"
                                % (part["name"], len(lines), part["records"]))
            for n, line in enumerate(lines, 1):
                problems += check(json.loads(line), "%s: line %d" % (part["name"], n))
                checked += 1
    for p in problems[:50]:
        print(p)
    print("%s: %d records of %d parts checked with %s: %d problems"
          % (export_path, checked, len(manifest["parts"]),
             "jsonschema " + jsonschema.__version__ if jsonschema else
             "the built-in validator (install python3-jsonschema for jsonschema's own)",
             len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
