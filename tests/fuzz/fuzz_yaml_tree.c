/*
 * The bounded YAML reader alone (bo__cfg_parse, internal). Properties:
 *  - it returns 0, BO_ECONFIG or BO_ELIMIT (BO_ENOMEM never happens here),
 *    a refusal naming "<fuzz>:LINE:COLUMN: ";
 *  - an accepted tree is well formed: indices in range, scalars hold
 *    exactly n bytes without NUL, mappings have scalar keys in pairs,
 *    aliases point back at finished, non-alias nodes;
 *  - the limits hold on the tree itself: the size and depth a walk with
 *    aliases expanded would see (recomputed here independently) stay under
 *    BO_CONFIG_MAX_NODES and BO_CONFIG_MAX_DEPTH, and match what the
 *    reader recorded.
 */
#include "fuzz_util.h"
#include "core/config_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct walk {
    const bo__cfg_doc *doc;
    uint64_t *expanded; /* 0 = not computed yet */
    uint32_t *height;
} walk;

static void compute(walk *w, uint32_t idx, int depth)
{
    const bo__cfg_doc *doc = w->doc;
    FZ_ASSERT(idx < doc->count, "index %u of %u", idx, doc->count);
    FZ_ASSERT(depth <= 2 * BO_CONFIG_MAX_DEPTH + 2, "tree deeper than the limit");
    if (w->expanded[idx])
        return;
    const bo__cfg_node *n = &doc->nodes[idx];
    FZ_ASSERT(n->done, "node %u not finished", idx);
    FZ_ASSERT(n->line >= 1 && n->column >= 1, "node %u at %u:%u", idx,
              n->line, n->column);
    uint64_t e = 1;
    uint32_t h = 0;
    switch (n->kind) {
    case BO__CFG_SCALAR:
        FZ_ASSERT(n->text && strlen(n->text) == n->n, "scalar %u length", idx);
        FZ_ASSERT(n->type >= BO__CFG_STR && n->type <= BO__CFG_FLOAT,
                  "scalar %u type %u", idx, n->type);
        break;
    case BO__CFG_ALIAS:
        FZ_ASSERT(n->target < idx, "alias %u -> %u", idx, n->target);
        FZ_ASSERT(doc->nodes[n->target].kind != BO__CFG_ALIAS, "alias chain");
        compute(w, n->target, depth + 1);
        e = w->expanded[n->target];
        h = w->height[n->target];
        FZ_ASSERT(bo__cfg_node_at(doc, idx) == &doc->nodes[n->target],
                  "node_at does not follow alias %u", idx);
        break;
    case BO__CFG_SEQ:
    case BO__CFG_MAP:
        FZ_ASSERT(n->kind == BO__CFG_SEQ || n->n % 2 == 0, "odd mapping %u", idx);
        FZ_ASSERT(n->n == 0 || n->kids, "collection %u without kids", idx);
        h = 1;
        for (uint32_t k = 0; k < n->n; k++) {
            uint32_t kid = n->kids[k];
            FZ_ASSERT(kid > idx && kid < doc->count, "kid %u of %u", kid, idx);
            compute(w, kid, depth + 1);
            e += w->expanded[kid];
            if (w->height[kid] + 1 > h)
                h = w->height[kid] + 1;
            if (n->kind == BO__CFG_MAP && k % 2 == 0)
                FZ_ASSERT(bo__cfg_node_at(doc, kid)->kind == BO__CFG_SCALAR,
                          "key %u of mapping %u is not a scalar", kid, idx);
        }
        break;
    default:
        FZ_ASSERT(0, "node %u kind %u", idx, n->kind);
    }
    FZ_ASSERT(e == n->expanded && h == n->height, "node %u: expanded %llu/%u "
              "height %u/%u", idx, (unsigned long long)e, n->expanded, h,
              n->height);
    w->expanded[idx] = e;
    w->height[idx] = h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1u << 20)
        return 0;
    bo__cfg_doc doc;
    memset(&doc, 0, sizeof doc);
    bo__error_clear();
    int rc = bo__cfg_parse(&doc, "<fuzz>", (const char *)data, size);
    if (rc) {
        FZ_ASSERT(rc == BO_ECONFIG || rc == BO_ELIMIT, "rc %d", rc);
        fz_check_refusal(rc, "bo__cfg_parse");
        unsigned line, col;
        FZ_ASSERT(sscanf(bo_error_message(), "<fuzz>:%u:%u: ", &line, &col) == 2 &&
                  line >= 1 && col >= 1, "message without a position: %s",
                  bo_error_message());
        FZ_ASSERT(doc.count == 0 && doc.nodes == NULL, "refused doc holds nodes");
        bo__cfg_doc_free(&doc);
        return 0;
    }
    FZ_ASSERT(doc.aliases <= BO_CONFIG_MAX_ALIASES, "aliases %u", doc.aliases);
    FZ_ASSERT(doc.count <= BO_CONFIG_MAX_NODES, "nodes %u", doc.count);
    if (doc.root != BO__CFG_NONE) {
        walk w = { &doc, calloc(doc.count, sizeof(uint64_t)),
                   calloc(doc.count, sizeof(uint32_t)) };
        compute(&w, doc.root, 0);
        FZ_ASSERT(w.expanded[doc.root] <= BO_CONFIG_MAX_NODES,
                  "expands to %llu nodes", (unsigned long long)w.expanded[doc.root]);
        FZ_ASSERT(w.height[doc.root] <= BO_CONFIG_MAX_DEPTH, "height %u",
                  w.height[doc.root]);
        free(w.expanded);
        free(w.height);
    } else {
        FZ_ASSERT(bo__cfg_node_at(&doc, BO__CFG_NONE) == NULL, "node_at(NONE)");
    }
    bo__cfg_doc_free(&doc);
    return 0;
}
