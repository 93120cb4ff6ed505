/* csl.c - CSL items (CSL-YAML and CSL-JSON) into bibliography entries
 * (see csl.h). */
#include "source/csl.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "doc/check.h"
#include "source/asset.h"
#include "source/norm.h"

/* The types chapbook formats (the XML schema's list). */
static const char *const csl_types[] = {
	"article-journal", "book", "chapter", "report", "webpage", NULL
};

/* CSL 1.0.2 variables chapbook does not use: read and ignored without a
 * word, so that a Zotero export builds. A key outside this list and
 * close to one chapbook reads gets a "did you mean". */
static const char *const csl_ignored[] = {
	"abstract", "annote", "archive", "archive_collection",
	"archive_location", "archive-place", "authority", "available-date",
	"call-number", "categories", "chapter-number", "citation-key",
	"citation-label", "citation-number", "collection-number",
	"collection-title", "container-title-short", "custom", "dimensions",
	"division", "DOI", "edition", "event", "event-date", "event-place",
	"event-title", "first-reference-note-number", "genre", "ISBN", "ISSN",
	"journalAbbreviation", "jurisdiction", "keyword", "language", "license",
	"locator", "medium", "note", "number", "number-of-pages",
	"number-of-volumes", "original-date", "original-publisher",
	"original-publisher-place", "original-title", "page-first", "part",
	"part-title", "PMCID", "PMID", "printing", "references",
	"reviewed-genre", "reviewed-title", "scale", "section", "shortTitle",
	"source", "status", "submitted", "supplement-number", "title-short",
	"version", "volume-title", "volume-title-short", "year-suffix",
	/* name variables other than author and editor */
	"chair", "collection-editor", "compiler", "composer",
	"container-author", "contributor", "curator", "director",
	"editorial-director", "editor-translator", "executive-producer",
	"guest", "host", "illustrator", "interviewer", "narrator", "organizer",
	"original-author", "performer", "producer", "recipient",
	"reviewed-author", "script-writer", "series-creator", "translator",
	NULL
};

typedef enum csl_kind { F_ID, F_TYPE, F_NAMES, F_DATE, F_TEXT } csl_kind;

/* The variables chapbook reads, and where each goes in a doc_ref. */
static const struct csl_field {
	const char *name;
	csl_kind kind;
	size_t off;       /* the const char * (or doc_name *) field */
	size_t pos_off;   /* its doc_pos, or 0 for none */
} csl_fields[] = {
	{"id", F_ID, offsetof(doc_ref, id), 0},
	{"type", F_TYPE, offsetof(doc_ref, type), 0},
	{"author", F_NAMES, offsetof(doc_ref, authors), 0},
	{"editor", F_NAMES, offsetof(doc_ref, editors), 0},
	{"issued", F_DATE, offsetof(doc_ref, issued), offsetof(doc_ref, issued_pos)},
	{"accessed", F_DATE, offsetof(doc_ref, accessed), offsetof(doc_ref, accessed_pos)},
	{"title", F_TEXT, offsetof(doc_ref, title), 0},
	{"container-title", F_TEXT, offsetof(doc_ref, container_title), 0},
	{"volume", F_TEXT, offsetof(doc_ref, volume), 0},
	{"issue", F_TEXT, offsetof(doc_ref, issue), 0},
	{"page", F_TEXT, offsetof(doc_ref, page), 0},
	{"publisher", F_TEXT, offsetof(doc_ref, publisher), 0},
	{"publisher-place", F_TEXT, offsetof(doc_ref, publisher_place), 0},
	{"URL", F_TEXT, offsetof(doc_ref, url), offsetof(doc_ref, url_pos)},
};
#define CSL_NFIELDS (sizeof csl_fields / sizeof *csl_fields)

int csl_key_ok(const char *s)
{
	if (!s || !*s)
		return 0;
	const unsigned char *p = (const unsigned char *)s;
	if (!(*p >= 0x80 || *p == '_' || (*p >= 'a' && *p <= 'z') ||
	      (*p >= 'A' && *p <= 'Z')))
		return 0;
	for (; *p; p++)
		if (!(*p >= 0x80 || *p == '_' || *p == '-' || *p == '.' ||
		      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9')))
			return 0;
	return 1;
}

static int csl_in(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

/* ---- scalars and dates -------------------------------------------------- */

/* The text of a scalar, whitespace collapsed; NULL for a null value, and
 * NULL with an error for a list or mapping. */
static const char *csl_text(const yt_node *v, const char *what,
			    const char *id, arena *a, diag_list *d)
{
	if (yt_is_null(v))
		return NULL;
	if (v->kind != YT_SCALAR) {
		yt_error(d, v, "reference '%s': '%s' must be text", id, what);
		return NULL;
	}
	yt_warn_bool(d, v);
	return norm_text(a, v->text, v->len);
}

static int csl_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* "2020", "2020-01" or "2020-01-16" from year, month and day as written;
 * a one-digit month or day is padded. */
static const char *csl_iso(arena *a, const char *y, const char *m,
			   const char *dd)
{
	const char *mm = m && csl_digits(m) && strlen(m) == 1
				 ? arena_printf(a, "0%s", m) : m;
	const char *dd2 = dd && csl_digits(dd) && strlen(dd) == 1
				  ? arena_printf(a, "0%s", dd) : dd;
	if (!mm || !*mm)
		return y;
	if (!dd2 || !*dd2)
		return arena_printf(a, "%s-%s", y, mm);
	return arena_printf(a, "%s-%s-%s", y, mm, dd2);
}

static const char *csl_scalar(const yt_node *v, arena *a)
{
	if (!v || v->kind != YT_SCALAR || yt_is_null(v))
		return NULL;
	return norm_text(a, v->text, v->len);
}

/* {date-parts: [[2020, 1, 16]]}: the first date of the list (a range's
 * start). */
static const char *csl_date_parts(const yt_node *parts, arena *a,
				  diag_list *d)
{
	const yt_node *first = parts->kind == YT_SEQ ? parts->first : NULL;
	if (!first || first->kind != YT_SEQ || !first->first ||
	    first->first->kind != YT_SCALAR) {
		yt_error(d, parts, "date-parts must be a list of [year, month, day] lists");
		return NULL;
	}
	const yt_node *y = first->first;
	const yt_node *m = y->next, *dd = m ? m->next : NULL;
	return csl_iso(a, csl_scalar(y, a), csl_scalar(m, a), csl_scalar(dd, a));
}

const char *csl_date(const yt_node *v, arena *a, diag_list *d)
{
	if (!v || yt_is_null(v))
		return NULL;
	if (v->kind == YT_SCALAR)
		return norm_text(a, v->text, v->len);
	if (v->kind == YT_SEQ) {   /* old pandoc-citeproc: a list of one date */
		if (v->first && v->first->kind == YT_MAP)
			return csl_date(v->first, a, d);
		yt_error(d, v, "a date must be text such as 2020-01-16 or {date-parts: [[2020, 1, 16]]}");
		return NULL;
	}
	const yt_node *parts = yt_get(v, "date-parts");
	if (parts)
		return csl_date_parts(parts, a, d);
	const char *raw = csl_scalar(yt_get(v, "raw"), a);
	if (!raw)
		raw = csl_scalar(yt_get(v, "literal"), a);
	if (raw)
		return raw;
	const char *y = csl_scalar(yt_get(v, "year"), a);
	if (y)
		return csl_iso(a, y, csl_scalar(yt_get(v, "month"), a),
			       csl_scalar(yt_get(v, "day"), a));
	yt_error(d, v, "a date needs date-parts, raw, literal or year");
	return NULL;
}

/* ---- names -------------------------------------------------------------- */

static void csl_name(const yt_node *v, doc_name *nm, arena *a,
		     diag_list *d)
{
	nm->pos = v->pos;
	if (v->kind == YT_MAP)
		for (const yt_node *k = v->first; k && k->next; k = k->next->next)
			yt_warn_bool(d, k->next);
	if (v->kind == YT_SCALAR) {
		nm->literal = norm_text(a, v->text, v->len);
		return;
	}
	nm->family = csl_scalar(yt_get(v, "family"), a);
	nm->given = csl_scalar(yt_get(v, "given"), a);
	nm->literal = csl_scalar(yt_get(v, "literal"), a);
	nm->honorific = csl_scalar(yt_get(v, "honorific"), a);
	const char *particle = csl_scalar(yt_get(v, "non-dropping-particle"), a);
	if (particle && nm->family)
		nm->family = arena_printf(a, "%s %s", particle, nm->family);
}

/* A list of names (or one name alone) into *out, *n. */
static void csl_names(const yt_node *v, doc_name **out, size_t *n,
		      const char *id, const char *what, arena *a, diag_list *d)
{
	if (yt_is_null(v))
		return;
	size_t count = v->kind == YT_SEQ ? v->n : 1;
	*out = arena_alloc(a, (count + 1) * sizeof **out);
	*n = 0;
	const yt_node *one = v->kind == YT_SEQ ? v->first : v;
	for (; one; one = v->kind == YT_SEQ ? one->next : NULL) {
		if (one->kind == YT_SEQ) {
			yt_error(d, one, "reference '%s': each %s is a name (family, given) or text",
				 id, what);
			continue;
		}
		csl_name(one, &(*out)[(*n)++], a, d);
	}
}

/* ---- items -------------------------------------------------------------- */

static const struct csl_field *csl_field(const char *key)
{
	for (size_t i = 0; i < CSL_NFIELDS; i++)
		if (!strcmp(csl_fields[i].name, key))
			return &csl_fields[i];
	return NULL;
}

static int csl_same_ignoring_case(const char *x, const char *y)
{
	for (; *x && *y; x++, y++) {
		char cx = *x >= 'A' && *x <= 'Z' ? (char)(*x + 32) : *x;
		char cy = *y >= 'A' && *y <= 'Z' ? (char)(*y + 32) : *y;
		if (cx != cy)
			return 0;
	}
	return *x == *y;
}

/* A key chapbook does not read: silent for a CSL variable, a warning with
 * the nearest known field for anything close to one. */
static void csl_unknown(const yt_node *k, const char *id, diag_list *d)
{
	if (csl_in(csl_ignored, k->text))
		return;
	for (size_t i = 0; i < CSL_NFIELDS; i++) {
		const char *f = csl_fields[i].name;
		if (check_edit_distance(k->text, f, 2) <= 2 ||
		    csl_same_ignoring_case(k->text, f)) {
			yt_warning(d, k, "reference '%s': unknown field '%s' is ignored; did you mean '%s'?",
				   id, k->text, f);
			return;
		}
	}
}

static void csl_type(doc_ref *r, const yt_node *v, arena *a, diag_list *d)
{
	r->type = csl_text(v, "type", r->id, a, d);
	if (!r->type && yt_is_null(v))
		yt_error(d, v, "reference '%s' needs a 'type' (article-journal, book, chapter, report or webpage)",
			 r->id);
	else if (r->type && !csl_in(csl_types, r->type)) {
		yt_error(d, v, "reference '%s': type '%s' is not one chapbook formats (article-journal, book, chapter, report, webpage)",
			 r->id, r->type);
		r->type = NULL;
	}
}

/* One key and value of an item into r; seen marks fields already given. */
static void csl_pair(doc_ref *r, const yt_node *k, const yt_node *v,
		     unsigned *seen, arena *a, diag_list *d)
{
	const struct csl_field *f = csl_field(k->text);
	if (!f) {
		csl_unknown(k, r->id, d);
		return;
	}
	unsigned bit = 1u << (f - csl_fields);
	if (*seen & bit) {
		yt_error(d, k, "reference '%s': '%s' is given twice", r->id, f->name);
		return;
	}
	*seen |= bit;
	char *base = (char *)r;
	if (f->pos_off)
		*(doc_pos *)(base + f->pos_off) = v->pos;
	switch (f->kind) {
	case F_ID:
		break;  /* read first, by csl_item */
	case F_TYPE:
		csl_type(r, v, a, d);
		break;
	case F_NAMES:
		if (f->off == offsetof(doc_ref, authors))
			csl_names(v, &r->authors, &r->nauthors, r->id, "author", a, d);
		else
			csl_names(v, &r->editors, &r->neditors, r->id, "editor", a, d);
		break;
	case F_DATE:
		*(const char **)(base + f->off) = csl_date(v, a, d);
		break;
	case F_TEXT:
		*(const char **)(base + f->off) = csl_text(v, f->name, r->id, a, d);
		break;
	}
}

static doc_ref *csl_push(csl_refs *out, arena *a)
{
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 16;
		out->items = arena_grow(a, out->items, out->n, cap,
					sizeof *out->items);
		out->cap = cap;
	}
	doc_ref *r = &out->items[out->n++];
	memset(r, 0, sizeof *r);
	return r;
}

static void csl_item(csl_refs *out, const yt_node *item, arena *a,
		     diag_list *d)
{
	if (item->kind != YT_MAP) {
		yt_error(d, item, "a reference must be a mapping of CSL fields (id, type, author, issued, title, ...)");
		return;
	}
	const yt_node *idv = yt_get(item, "id");
	const char *id = idv && idv->kind == YT_SCALAR && !yt_is_null(idv)
				 ? norm_text(a, idv->text, idv->len) : NULL;
	if (!id || !*id) {
		yt_error(d, item, "a reference needs an 'id' (the key its citations use)");
		return;
	}
	if (!csl_key_ok(id)) {
		yt_error(d, idv, "reference key '%s' must start with a letter or '_' and hold only letters, digits, '-', '_' and '.'",
			 id);
		return;
	}
	doc_ref *r = csl_push(out, a);
	r->id = id;
	r->pos = item->pos;
	unsigned seen = 0;
	for (const yt_node *k = item->first; k && k->next; k = k->next->next)
		csl_pair(r, k, k->next, &seen, a, d);
	if (!r->type) {
		if (!(seen & 2u))
			yt_error(d, item, "reference '%s' needs a 'type' (article-journal, book, chapter, report or webpage)",
				 id);
		r->type = "";
	}
}

void csl_add_items(csl_refs *out, const yt_node *list, arena *a,
		   diag_list *d)
{
	if (!list || yt_is_null(list))
		return;
	if (list->kind != YT_SEQ) {
		yt_error(d, list, "references must be a list of CSL items (- id: ...)");
		return;
	}
	for (const yt_node *item = list->first; item; item = item->next)
		csl_item(out, item, a, d);
}

/* ---- files -------------------------------------------------------------- */

/* JSON writes a character outside the Basic Multilingual Plane as a
 * surrogate pair, "\ud83d\ude00", which YAML has no use for: rewrite each
 * pair inside a string as YAML's "\U0001f600" (shorter, so in place).
 * Returns the new length. */
static size_t csl_json_surrogates(char *s, size_t n)
{
	size_t k = 0;
	int in_string = 0;
	for (size_t i = 0; i < n;) {
		if (!in_string) {
			in_string = s[i] == '"';
			s[k++] = s[i++];
			continue;
		}
		if (s[i] == '"') {
			in_string = 0;
			s[k++] = s[i++];
			continue;
		}
		if (s[i] != '\\' || i + 1 >= n) {
			s[k++] = s[i++];
			continue;
		}
		if (s[i + 1] == 'u' && i + 12 <= n && s[i + 6] == '\\' &&
		    s[i + 7] == 'u') {
			char hi[5], lo[5];
			memcpy(hi, s + i + 2, 4), hi[4] = '\0';
			memcpy(lo, s + i + 8, 4), lo[4] = '\0';
			char *e1, *e2;
			unsigned long h = strtoul(hi, &e1, 16);
			unsigned long l = strtoul(lo, &e2, 16);
			if (*e1 == '\0' && *e2 == '\0' && h >= 0xD800 &&
			    h <= 0xDBFF && l >= 0xDC00 && l <= 0xDFFF) {
				unsigned long cp = 0x10000 + ((h - 0xD800) << 10) +
						   (l - 0xDC00);
				static const char hex[] = "0123456789abcdef";
				s[k++] = '\\';
				s[k++] = 'U';
				for (int sh = 28; sh >= 0; sh -= 4)
					s[k++] = hex[(cp >> sh) & 15];
				i += 12;
				continue;
			}
		}
		s[k++] = s[i++];   /* the backslash; its escaped char next */
		s[k++] = s[i++];
	}
	return k;
}

static const char *csl_ext(const char *name)
{
	const char *dot = strrchr(name, '.');
	const char *slash = strrchr(name, '/');
	return dot && (!slash || dot > slash) ? dot + 1 : "";
}

/* The items of a parsed bibliography: a list, or a mapping with
 * references: (pandoc's YAML bibliographies). */
static void csl_file_items(csl_refs *out, const yt_node *root,
			   const char *shown, arena *a, diag_list *d)
{
	if (!root)
		return;
	const yt_node *list = root->kind == YT_MAP ? yt_get(root, "references")
						   : root;
	if (!list) {
		yt_error(d, root, "bibliography %s holds no list of references", shown);
		return;
	}
	csl_add_items(out, list, a, d);
}

int csl_read_file(csl_refs *out, const char *booklet, const yt_node *name,
		  arena *a, diag_list *d)
{
	if (!name || name->kind != YT_SCALAR || !*name->text) {
		yt_error(d, name, "bibliography must name a file (or a list of files)");
		return -1;
	}
	const char *file = name->text;
	const char *ext = csl_ext(file);
	int json = !strcmp(ext, "json");
	if (!json && strcmp(ext, "yaml") && strcmp(ext, "yml")) {
		yt_error(d, name, "bibliography '%s': chapbook reads CSL-JSON (.json) and CSL-YAML (.yaml, .yml)%s",
			 file, !strcmp(ext, "bib") ? "; export CSL JSON from Zotero" : "");
		return -1;
	}
	if (file[0] == '/') {
		yt_error(d, name, "bibliography '%s' must be a path relative to the booklet's directory",
			 file);
		return -1;
	}
	const char *why;
	char *path = asset_path(booklet, file, a, &why, NULL);
	if (!path) {
		yt_error(d, name, "cannot read bibliography '%s': %s", file, why);
		return -1;
	}
	file_bytes fb;
	file_status st = file_read(path, CSL_MAX_BYTES, &fb);
	if (st != FILE_OK) {
		char tmp[96];
		yt_error(d, name, "cannot read bibliography '%s': %s", file,
			 file_status_text(st, &fb, CSL_MAX_BYTES, tmp, sizeof tmp));
		file_release(&fb);
		return -1;
	}
	int rc = csl_read_memory(out, (char *)fb.data, fb.len, json, path, a, d);
	file_release(&fb);
	return rc;
}

int csl_read_memory(csl_refs *out, char *text, size_t len, int json,
		    const char *path, arena *a, diag_list *d)
{
	if (json)
		len = csl_json_surrogates(text, len);
	size_t before = d->errors;
	yt_node *root = yt_parse(text, len, path, 1, a, d);
	csl_file_items(out, root, arena_printf(a, "'%s'", path), a, d);
	return d->errors == before ? 0 : -1;
}
