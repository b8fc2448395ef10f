/*
 * libxml2 behind the two doors of util/xml.h: a guarded SAX reader and a
 * text writer. See the header for the limits.
 */
#include "util/xml.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlwriter.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct bo__xml {
    xmlParserCtxtPtr ctxt;
    const char *data; /* the document in memory, or NULL for a file */
    size_t len;
    const bo__xml_handlers *h;
    void *user;
    int depth, depth_max;
    int rc; /* the first error */
    /* lines counted up to offset `seen` (monotonic), and the current tag */
    size_t seen;
    int seen_line;
    size_t tag; /* offset of the current tag's '<' */
    int tag_line;
};

static pthread_once_t init = PTHREAD_ONCE_INIT;
static void init_once(void)
{
    xmlInitParser();
}

/* Count lines up to the byte offset `off` of the input and place the
 * current tag at the last '<' before it (a start or end tag holds no other
 * '<': attribute values cannot). */
static void place(bo__xml *x)
{
    if (!x->data) {
        x->tag_line = xmlSAX2GetLineNumber(x->ctxt);
        return;
    }
    long c = xmlByteConsumed(x->ctxt);
    size_t off = c < 0 ? 0 : (size_t)c;
    if (off > x->len)
        off = x->len;
    if (off < x->seen) { /* never expected; recount from the start */
        x->seen = 0;
        x->seen_line = 1;
    }
    for (; x->seen < off; x->seen++)
        x->seen_line += x->data[x->seen] == '\n';
    size_t p = off;
    int line = x->seen_line;
    while (p > 0 && x->data[p - 1] != '<')
        line -= x->data[--p] == '\n';
    x->tag = p ? p - 1 : 0;
    x->tag_line = line;
}

static int lines_of(const bo__xml *x)
{
    int n = 1;
    for (size_t i = 0; i < x->len; i++)
        n += x->data[i] == '\n';
    return n;
}

int bo__xml_line(const bo__xml *x)
{
    return x->tag_line;
}

int bo__xml_fail(bo__xml *x, int code, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (!x->data)
        return bo__error_set(code, "line %d: %s", x->tag_line, what);
    const char *at = x->data + x->tag, *s = at;
    while (s > x->data && s[-1] != '\n')
        s--;
    int col = 1;
    for (; s < at; s++)
        col += ((unsigned char)*s & 0xC0) != 0x80;
    return bo__error_set(code, "line %d, column %d: %s", x->tag_line, col, what);
}

const bo__xml_attr *bo__xml_attr_find(const bo__xml_attr *attrs, int nattrs,
                                      const char *name)
{
    for (int i = 0; i < nattrs; i++)
        if (!strcmp(attrs[i].name, name))
            return &attrs[i];
    return NULL;
}

static void stop(bo__xml *x, int rc)
{
    if (!x->rc)
        x->rc = rc;
    xmlStopParser(x->ctxt);
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
                     const xmlChar *uri, int nns, const xmlChar **ns, int nattrs,
                     int ndefaulted, const xmlChar **attrs)
{
    (void)prefix, (void)uri, (void)nns, (void)ns, (void)ndefaulted;
    bo__xml *x = ((xmlParserCtxtPtr)ctx)->_private;
    if (x->rc)
        return;
    place(x);
    if (x->depth >= x->depth_max) {
        stop(x, bo__xml_fail(x, BO_ELIMIT, "elements nested deeper than %d levels",
                             x->depth_max));
        return;
    }
    x->depth++;
    if (nattrs > BO__XML_ATTRS_MAX) {
        stop(x, bo__xml_fail(x, BO_ELIMIT, "more than %d attributes", BO__XML_ATTRS_MAX));
        return;
    }
    bo__xml_attr a[BO__XML_ATTRS_MAX];
    for (int i = 0; i < nattrs; i++) {
        a[i].name = (const char *)attrs[5 * i];
        a[i].value = (const char *)attrs[5 * i + 3];
        a[i].len = (size_t)(attrs[5 * i + 4] - attrs[5 * i + 3]);
    }
    int rc = x->h->start ? x->h->start(x, x->user, (const char *)local, a, nattrs) : 0;
    if (rc)
        stop(x, rc);
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix,
                   const xmlChar *uri)
{
    (void)prefix, (void)uri;
    bo__xml *x = ((xmlParserCtxtPtr)ctx)->_private;
    if (x->rc)
        return;
    place(x);
    x->depth--;
    int rc = x->h->end ? x->h->end(x, x->user, (const char *)local) : 0;
    if (rc)
        stop(x, rc);
}

static void on_text(void *ctx, const xmlChar *s, int len)
{
    bo__xml *x = ((xmlParserCtxtPtr)ctx)->_private;
    if (x->rc || !x->h->text)
        return;
    int rc = x->h->text(x, x->user, (const char *)s, (size_t)len);
    if (rc)
        stop(x, rc);
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *eid,
                       const xmlChar *sid)
{
    (void)name, (void)eid, (void)sid;
    bo__xml *x = ((xmlParserCtxtPtr)ctx)->_private;
    if (x->rc)
        return;
    place(x);
    stop(x, bo__xml_fail(x, BO_EINVAL, "DOCTYPE and declarations are not accepted"));
}

/* Entities other than the predefined ones are never resolved: there is
 * no DTD to declare them. */
static xmlEntityPtr on_entity(void *ctx, const xmlChar *name)
{
    (void)ctx;
    return xmlGetPredefinedEntity(name);
}

static void on_error(void *ctx, xmlErrorPtr e)
{
    bo__xml *x = ((xmlParserCtxtPtr)ctx)->_private;
    if (!e || e->level < XML_ERR_ERROR || x->rc)
        return;
    char msg[256];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "malformed XML");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    int line = e->line < 1 ? 1 : e->line;
    int code = e->code == XML_ERR_NO_MEMORY ? BO_ENOMEM : BO_EINVAL;
    if (x->data) {
        int max = lines_of(x);
        if (line > max)
            line = max;
        x->rc = bo__error_set(code, "line %d, column %d: %s", line,
                              e->int2 < 1 ? 1 : e->int2, msg);
    } else
        x->rc = bo__error_set(code, "line %d: %s", line, msg);
}

static int run(bo__xml *x, xmlParserCtxtPtr ctxt)
{
    if (!ctxt)
        return bo__error_set(BO_ENOMEM, "XML: cannot create the parser");
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    sax.cdataBlock = on_text;
    sax.internalSubset = on_doctype;
    sax.getEntity = on_entity;
    sax.serror = on_error;
    memcpy(ctxt->sax, &sax, sizeof sax);
    ctxt->userData = ctxt;
    ctxt->_private = x;
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
    ctxt->replaceEntities = 0;
    ctxt->loadsubset = 0;
    ctxt->validate = 0;
    x->ctxt = ctxt;
    xmlParseDocument(ctxt);
    /* libxml2 keeps a document of its own for the declarations it read
     * before the DOCTYPE was refused (SAX1 compatibility): not ours to
     * keep, and not freed with the context. */
    if (ctxt->myDoc) {
        xmlFreeDoc(ctxt->myDoc);
        ctxt->myDoc = NULL;
    }
    int rc = x->rc;
    if (!rc && !ctxt->wellFormed)
        rc = bo__error_set(BO_EINVAL, "line %d: the document is not well-formed",
                           xmlSAX2GetLineNumber(ctxt) < 1 ? 1 : xmlSAX2GetLineNumber(ctxt));
    xmlFreeParserCtxt(ctxt);
    return rc;
}

int bo__xml_parse(const char *data, size_t len, int depth_max, const bo__xml_handlers *h,
                  void *user)
{
    pthread_once(&init, init_once);
    if (len > (size_t)INT_MAX)
        return bo__error_set(BO_ELIMIT, "XML: the document is larger than %d bytes", INT_MAX);
    bo__xml x = { .data = data, .len = len, .h = h, .user = user, .depth_max = depth_max,
                  .seen_line = 1, .tag_line = 1 };
    if (len == 0)
        return bo__error_set(BO_EINVAL, "line 1, column 1: the document is empty");
    return run(&x, xmlCreateMemoryParserCtxt(data, (int)len));
}

int bo__xml_parse_file(const char *path, int depth_max, const bo__xml_handlers *h,
                       void *user)
{
    pthread_once(&init, init_once);
    bo__xml x = { .h = h, .user = user, .depth_max = depth_max, .seen_line = 1,
                  .tag_line = 1 };
    FILE *f = fopen(path, "rb");
    if (!f)
        return bo__error_set(BO_EIO, "%s: cannot be opened", path);
    fclose(f);
    int rc = run(&x, xmlCreateURLParserCtxt(path, XML_PARSE_NONET));
    if (rc)
        bo__error_prefix("%s: ", path);
    return rc;
}

/* ---- writing ----------------------------------------------------------- */

struct bo__xml_writer {
    xmlBufferPtr buf;
    xmlTextWriterPtr w;
};

void bo__xml_writer_free(bo__xml_writer *w)
{
    if (!w)
        return;
    if (w->w)
        xmlFreeTextWriter(w->w);
    if (w->buf)
        xmlBufferFree(w->buf);
    bo__free(w);
}

bo__xml_writer *bo__xml_writer_new(const char *path)
{
    pthread_once(&init, init_once);
    bo__xml_writer *w = bo__calloc(1, sizeof *w);
    if (!w)
        return NULL;
    if (path && !(w->w = xmlNewTextWriterFilename(path, 0))) {
        bo__free(w);
        bo__error_set(BO_EIO, "%s: cannot be written", path);
        return NULL;
    }
    if ((!path && (!(w->buf = xmlBufferCreate()) ||
                   !(w->w = xmlNewTextWriterMemory(w->buf, 0)))) ||
        xmlTextWriterSetIndent(w->w, 1) < 0 ||
        xmlTextWriterSetIndentString(w->w, BAD_CAST "  ") < 0 ||
        xmlTextWriterStartDocument(w->w, "1.0", "UTF-8", NULL) < 0) {
        bo__xml_writer_free(w);
        bo__error_set(BO_ENOMEM, "XML: cannot create the writer");
        return NULL;
    }
    return w;
}

static int wrote(int r)
{
    return r < 0 ? bo__error_set(BO_EIO, "XML: writing failed") : 0;
}

int bo__xml_start(bo__xml_writer *w, const char *name, const char *ns)
{
    if (wrote(xmlTextWriterStartElement(w->w, BAD_CAST name)))
        return BO_EIO;
    return ns ? wrote(xmlTextWriterWriteAttribute(w->w, BAD_CAST "xmlns", BAD_CAST ns)) : 0;
}

int bo__xml_attr_write(bo__xml_writer *w, const char *name, const char *value)
{
    return wrote(xmlTextWriterWriteAttribute(w->w, BAD_CAST name, BAD_CAST value));
}

int bo__xml_text(bo__xml_writer *w, const char *text)
{
    return wrote(xmlTextWriterWriteString(w->w, BAD_CAST text));
}

int bo__xml_end(bo__xml_writer *w)
{
    return wrote(xmlTextWriterEndElement(w->w));
}

int bo__xml_elem(bo__xml_writer *w, const char *name, const char *text)
{
    if (!text)
        return 0;
    return wrote(xmlTextWriterWriteElement(w->w, BAD_CAST name, BAD_CAST text));
}

int bo__xml_elem_int(bo__xml_writer *w, const char *name, long long v)
{
    char s[32];
    snprintf(s, sizeof s, "%lld", v);
    return bo__xml_elem(w, name, s);
}

int bo__xml_elem_amount(bo__xml_writer *w, const char *name, int64_t minor,
                        const char *currency)
{
    char s[48];
    int rc = bo_money_format(minor, currency, s, sizeof s);
    return rc ? rc : bo__xml_elem(w, name, s);
}

int bo__xml_writer_finish(bo__xml_writer *w, char **out, size_t *len)
{
    if (out)
        *out = NULL;
    if (xmlTextWriterEndDocument(w->w) < 0) {
        bo__xml_writer_free(w);
        return bo__error_set(BO_EIO, "XML: the document could not be written");
    }
    xmlFreeTextWriter(w->w); /* flushes into the buffer or the file */
    w->w = NULL;
    if (!w->buf) {
        bo__xml_writer_free(w);
        return 0;
    }
    size_t n = (size_t)xmlBufferLength(w->buf);
    char *s = bo__malloc(n + 1);
    if (!s) {
        bo__xml_writer_free(w);
        return BO_ENOMEM;
    }
    memcpy(s, xmlBufferContent(w->buf), n);
    s[n] = '\0';
    *out = s;
    if (len)
        *len = n;
    bo__xml_writer_free(w);
    return 0;
}
