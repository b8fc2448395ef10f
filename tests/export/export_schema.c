/*
 * Print the JSON Schema of the export format's records (docs/export-schema.json)
 * from the table of domains: one definition per record kind, named
 * "<domain>.<table>", and the manifest's. The published file is this
 * program's output; the test export.schema_current fails when they differ
 * (a domain or a column was added): regenerate it with
 *   build/default/tests/export/export_schema > docs/export-schema.json
 */
#include "book/transfer.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *types(const char *a, const char *b)
{
    return b ? json_pack("[ss]", a, b) : json_string(a);
}

static json_t *column(const bo__xcols *c, int i)
{
    switch (c->types[i]) {
    case 'b':
        return json_pack("{s:o,s:s,s:s}", "type", types("string", "null"), "pattern",
                         "^sha256:[0-9a-f]{64}$", "description",
                         "bytes: the part content/<hash> of the archive");
    case 'i':
        if (c->kind[i] == BO__XC_AMOUNT)
            return json_pack("{s:o,s:s,s:s}", "type", json_pack("[sss]", "string",
                             "integer", "null"), "pattern", "^-?[0-9]+(\\.[0-9]+)?$",
                             "description", c->other[i] < 0
                             ? "an amount: a decimal at the scale of the book's base currency"
                               " (minor units, an integer, only for a currency unknown to the reader)"
                             : "an amount: a decimal at the scale of the currency in its row"
                               " (minor units, an integer, only for a currency unknown to the reader)");
        return json_pack("{s:o}", "type", types("integer", "null"));
    default:
        return json_pack("{s:o}", "type", types("string", "null"));
    }
}

static json_t *record(const bo__domain *d, const bo__table *t)
{
    bo__xcols c;
    if (bo__xcols_of(d, t, &c)) {
        fprintf(stderr, "export_schema: %s\n", bo_error_message());
        exit(1);
    }
    json_t *props = json_object(), *req = json_array(), *alt = NULL;
    for (int i = 0; i < c.n; i++) {
        json_object_set_new(props, c.names[i], column(&c, i));
        if (c.kind[i] == BO__XC_RATE_NUM) {
            int o = c.other[i];
            json_object_set_new(props, c.rate_key[i], json_pack(
                "{s:s,s:s,s:s}", "type", "string", "pattern", "^-?[0-9]+/[1-9][0-9]*$",
                "description", "a rate: an exact fraction numerator/denominator"));
            alt = json_pack("[{s:[s]},{s:[ss]}]", "required", c.rate_key[i], "required",
                            c.names[i], c.names[o]);
        } else if (c.kind[i] != BO__XC_RATE_DEN) {
            json_array_append_new(req, json_string(c.names[i]));
        }
    }
    char title[160];
    snprintf(title, sizeof title, "a record of %s/%s.jsonl", d->name, t->name);
    json_t *r = json_pack("{s:s,s:s,s:b,s:o,s:o}", "title", title, "type", "object",
                          "additionalProperties", 0, "required", req, "properties", props);
    if (alt)
        json_object_set_new(r, "oneOf", alt);
    return r;
}

static json_t *manifest(void)
{
    json_t *part = json_pack(
        "{s:s,s:b,s:[sss],s:{s:{s:s},s:{s:s},s:{s:s},s:{s:s,s:s},s:{s:s,s:i},s:{s:s,s:i}}}",
        "type", "object", "additionalProperties", 0, "required", "name", "kind", "sha256",
        "properties", "name", "type", "string", "kind", "type", "string", "domain",
        "type", "string", "sha256", "type", "string", "pattern", "^[0-9a-f]{64}$",
        "records", "type", "integer", "minimum", 0, "bytes", "type", "integer",
        "minimum", 0);
    return json_pack(
        "{s:s,s:s,s:b,s:[ssssssss],s:{s:{s:s},s:{s:i},s:{s:s},s:{s:s},s:{s:s},s:{s:s},"
        "s:{s:s,s:b,s:{s:{s:s},s:{s:s}}},s:{s:s,s:o}}}",
        "title", "manifest.json", "type", "object", "additionalProperties", 0,
        "required", "format", "format_version", "schema_version", "book_id",
        "base_currency", "records", "audit_head", "parts",
        "properties", "format", "const", BO__EXPORT_FORMAT, "format_version", "const",
        BO_EXPORT_FORMAT_VERSION, "schema_version", "type", "integer", "book_id", "type",
        "string", "base_currency", "type", "string", "records", "type", "integer",
        "audit_head", "type", "object", "additionalProperties", 0, "properties", "seq",
        "type", "integer", "hash", "type", "string", "parts", "type", "array", "items", part);
}

int main(void)
{
    if (bo__domains_init()) {
        fprintf(stderr, "export_schema: %s\n", bo_error_message());
        return 1;
    }
    json_t *defs = json_object();
    json_object_set_new(defs, "manifest", manifest());
    const bo__domain *d;
    for (int i = 0; (d = bo__domain_at(i)); i++)
        for (int j = 0; d->ntables && j < *d->ntables; j++) {
            char key[160];
            snprintf(key, sizeof key, "%s.%s", d->name, d->tables[j].name);
            json_object_set_new(defs, key, record(d, &d->tables[j]));
        }
    json_t *s = json_pack("{s:s,s:s,s:s,s:i,s:o}",
        "$schema", "https://json-schema.org/draft/2020-12/schema",
        "title", "libbackoffice book export",
        "description", "The records of the lossless export (docs/export-format.md): "
        "$defs.manifest describes manifest.json; $defs[\"<domain>.<table>\"] each line "
        "of the part <domain>/<table>.jsonl.",
        "format_version", BO_EXPORT_FORMAT_VERSION, "$defs", defs);
    char *text = json_dumps(s, JSON_INDENT(2) | JSON_SORT_KEYS);
    puts(text);
    free(text);
    json_decref(s);
    return 0;
}
