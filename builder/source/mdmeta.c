/* mdmeta.c - a Markdown booklet's YAML metadata block into the tree's
 * meta and the bibliography entries (see mdmeta.h). */
#include "source/mdmeta.h"

#include <string.h>

#include <cmark.h>

#include "doc/check.h"
#include "source/asset.h"
#include "source/load.h"
#include "source/mdinline.h"
#include "source/norm.h"
#include "source/ytree.h"

typedef struct mm {
	arena *a;
	diag_list *d;
	const char *path;
	doc *doc;
	md_meta *out;
} mm;

/* The keys read, for duplicates and "did you mean". */
static const char *const mm_keys[] = {
	"title", "abstract", "author", "publisher", "lang", "date",
	"identifier", "references", "bibliography", "nocite",
	"reference-section-title", "accessibility", "cover-image", "cover-alt",
	NULL
};

/* ---- values ------------------------------------------------------------- */

static const char *mm_text(mm *m, const yt_node *v, const char *key)
{
	if (yt_is_null(v))
		return NULL;
	if (v->kind != YT_SCALAR) {
		yt_error(m->d, v, "'%s' must be text", key);
		return NULL;
	}
	yt_warn_bool(m->d, v);
	return norm_text(m->a, v->text, v->len);
}

/* The one paragraph of Markdown that v holds (pandoc reads metadata text
 * as Markdown), as a DOC_PARA; NULL after an error. */
static doc_node *mm_paragraph(mm *m, const yt_node *v, const char *key)
{
	if (yt_is_null(v))
		return NULL;
	if (v->kind != YT_SCALAR) {
		yt_error(m->d, v, "'%s' must be text", key);
		return NULL;
	}
	char *s = arena_strndup(m->a, v->text, v->len);
	md_mark_escapes(s, v->len);
	cmark_node *root = cmark_parse_document(s, v->len, CMARK_OPT_SMART);
	cmark_node *p = root ? cmark_node_first_child(root) : NULL;
	doc_node *para = NULL;
	if (!p || cmark_node_get_type(p) != CMARK_NODE_PARAGRAPH ||
	    cmark_node_next(p)) {
		yt_error(m->d, v, "'%s' must be one paragraph of text", key);
	} else if (md_too_deep(root, LOAD_MAX_DEPTH)) {
		yt_error(m->d, v, "'%s' has markup nested deeper than the limit of %d levels",
			 key, LOAD_MAX_DEPTH);
	} else {
		para = doc_node_new(m->a, DOC_PARA, v->pos);
		md_inl c = {m->a, m->d, NULL, v->pos, 0};
		mdi_convert(&c, cmark_node_first_child(p), para);
		mdi_finish(&c, para);
	}
	cmark_node_free(root);
	return para;
}

/* xsd:language, as the XML schema checks it: 1-8 letters, then groups of
 * 1-8 letters or digits after '-'. */
static int mm_language_ok(const char *s)
{
	size_t run = 0;
	int first = 1;
	for (;; s++) {
		if (*s == '-' || !*s) {
			if (run == 0 || run > 8)
				return 0;
			if (!*s)
				return 1;
			run = 0;
			first = 0;
			continue;
		}
		int letter = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z');
		int digit = *s >= '0' && *s <= '9';
		if (!letter && !(digit && !first))
			return 0;
		run++;
	}
}

/* ---- authors ------------------------------------------------------------ */

static void mm_author(mm *m, const yt_node *v, doc_name *nm)
{
	nm->pos = v->pos;
	if (v->kind == YT_SCALAR) {
		nm->literal = norm_text(m->a, v->text, v->len);
		return;
	}
	if (v->kind != YT_MAP) {
		yt_error(m->d, v, "an author is a name as text, or given, family and honorific");
		return;
	}
	nm->family = mm_text(m, yt_get(v, "family"), "family");
	nm->given = mm_text(m, yt_get(v, "given"), "given");
	nm->honorific = mm_text(m, yt_get(v, "honorific"), "honorific");
	nm->literal = mm_text(m, yt_get(v, "literal"), "literal");
	if (!nm->literal)
		nm->literal = mm_text(m, yt_get(v, "name"), "name");
	if ((!nm->family || !*nm->family) && (!nm->literal || !*nm->literal))
		yt_error(m->d, v, "an author needs 'family' (with 'given'), or the whole name as text");
}

static void mm_authors(mm *m, const yt_node *v)
{
	doc_meta *meta = &m->doc->meta;
	if (yt_is_null(v))
		return;
	size_t n = v->kind == YT_SEQ ? v->n : 1;
	meta->authors = arena_alloc(m->a, (n + 1) * sizeof *meta->authors);
	if (v->kind != YT_SEQ) {
		mm_author(m, v, &meta->authors[meta->nauthors++]);
		return;
	}
	for (const yt_node *k = v->first; k; k = k->next)
		mm_author(m, k, &meta->authors[meta->nauthors++]);
}

/* ---- nocite ------------------------------------------------------------- */

/* The @keys of one scalar ("@a, @b", or "@*" for every reference). */
static void mm_nocite_text(mm *m, const yt_node *v, size_t *cap)
{
	md_meta *o = m->out;
	for (size_t i = 0; i < v->len; i++) {
		if (v->text[i] != '@')
			continue;
		if (i + 1 < v->len && v->text[i + 1] == '*') {
			o->nocite_all = 1;
			continue;
		}
		const char *inner;
		size_t inner_len;
		size_t n = mdi_key(v->text + i + 1, v->len - i - 1, &inner, &inner_len);
		if (!n)
			continue;
		if (o->nnocite == *cap) {
			size_t c2 = *cap ? *cap * 2 : 8;
			o->nocite = arena_grow(m->a, o->nocite, o->nnocite, c2,
					       sizeof *o->nocite);
			o->nocite_pos = arena_grow(m->a, o->nocite_pos, o->nnocite,
						   c2, sizeof *o->nocite_pos);
			*cap = c2;
		}
		o->nocite_pos[o->nnocite] = v->pos;
		o->nocite[o->nnocite++] = arena_strndup(m->a, inner, inner_len);
		i += n;
	}
}

static void mm_nocite(mm *m, const yt_node *v)
{
	size_t cap = 0;
	if (v->kind == YT_SCALAR) {
		mm_nocite_text(m, v, &cap);
		return;
	}
	if (v->kind == YT_SEQ) {
		for (const yt_node *k = v->first; k; k = k->next)
			if (k->kind == YT_SCALAR)
				mm_nocite_text(m, k, &cap);
		return;
	}
	yt_error(m->d, v, "nocite lists keys as text: nocite: \"@a, @b\"");
}

/* ---- accessibility ------------------------------------------------------ */

/* accessibility: {certified-by: ..., conforms-to: ...}, the evaluation
 * check_document then checks (both or neither, a known conformance). */
static void mm_accessibility(mm *m, const yt_node *v)
{
	doc_meta *meta = &m->doc->meta;
	if (yt_is_null(v))
		return;
	if (v->kind != YT_MAP) {
		yt_error(m->d, v, "accessibility holds certified-by and conforms-to: "
			 "accessibility: {certified-by: ..., conforms-to: WCAG 2.1 AA}");
		return;
	}
	for (const yt_node *k = v->first; k && k->next; k = k->next->next)
		if (k->kind == YT_SCALAR && strcmp(k->text, "certified-by") &&
		    strcmp(k->text, "conforms-to"))
			yt_warning(m->d, k, "unknown accessibility key '%s' is ignored "
				   "(it holds certified-by and conforms-to)", k->text);
	meta->a11y_certified_by = mm_text(m, yt_get(v, "certified-by"), "certified-by");
	meta->a11y_conforms_to = mm_text(m, yt_get(v, "conforms-to"), "conforms-to");
	meta->a11y_pos = v->pos;
}

/* ---- the block ---------------------------------------------------------- */

static void mm_bibliography(mm *m, const yt_node *v)
{
	if (v->kind == YT_SEQ) {
		for (const yt_node *k = v->first; k; k = k->next)
			csl_read_file(&m->out->refs, m->path, k, m->a, m->d);
		return;
	}
	csl_read_file(&m->out->refs, m->path, v, m->a, m->d);
}

/* One key of the block and its value. */
static void mm_pair(mm *m, const yt_node *k, const yt_node *v)
{
	doc_meta *meta = &m->doc->meta;
	const char *key = k->text;
	if (!strcmp(key, "title")) {
		doc_node *p = mm_paragraph(m, v, key);
		if (p)
			meta->title = doc_plain_text(m->a, p);
	} else if (!strcmp(key, "abstract")) {
		meta->standfirst = mm_paragraph(m, v, key);
	} else if (!strcmp(key, "author")) {
		mm_authors(m, v);
	} else if (!strcmp(key, "publisher")) {
		meta->publisher = mm_text(m, v, key);
	} else if (!strcmp(key, "lang")) {
		meta->language = mm_text(m, v, key);
		meta->language_pos = v->pos;
		if (meta->language && !mm_language_ok(meta->language))
			yt_error(m->d, v, "lang '%s' is not a BCP 47 language tag (such as en-GB)",
				 meta->language);
	} else if (!strcmp(key, "date")) {
		meta->reviewed = mm_text(m, v, key);
		meta->reviewed_pos = v->pos;
	} else if (!strcmp(key, "identifier")) {
		meta->identifier = mm_text(m, v, key);
		meta->identifier_pos = v->pos;
	} else if (!strcmp(key, "references")) {
		csl_add_items(&m->out->refs, v, m->a, m->d);
	} else if (!strcmp(key, "bibliography")) {
		mm_bibliography(m, v);
	} else if (!strcmp(key, "nocite")) {
		mm_nocite(m, v);
	} else if (!strcmp(key, "reference-section-title")) {
		m->out->refs_title = mm_text(m, v, key);
	} else if (!strcmp(key, "accessibility")) {
		mm_accessibility(m, v);
	} else if (!strcmp(key, "cover-image")) {
		meta->cover_image = mm_text(m, v, key);
		meta->cover_pos = v->pos;
	} else if (!strcmp(key, "cover-alt")) {
		meta->cover_alt = mm_text(m, v, key);
	}
}

/* A key chapbook does not read: pandoc's others pass silently; one close
 * to a key chapbook reads is likely a slip. */
static void mm_unknown(mm *m, const yt_node *k)
{
	for (size_t i = 0; mm_keys[i]; i++)
		if (check_edit_distance(k->text, mm_keys[i], 2) <= 2 &&
		    strlen(k->text) > 3) {
			yt_warning(m->d, k, "unknown metadata key '%s' is ignored; did you mean '%s'?",
				   k->text, mm_keys[i]);
			return;
		}
}

static void mm_required(mm *m)
{
	const doc_meta *meta = &m->doc->meta;
	static const struct {
		const char *key, *hint;
		size_t off;
	} req[] = {
		{"title", "", offsetof(doc_meta, title)},
		{"abstract", " (the standfirst)", offsetof(doc_meta, standfirst)},
		{"author", "", offsetof(doc_meta, authors)},
		{"publisher", "", offsetof(doc_meta, publisher)},
		{"lang", " (the language, such as en-GB)", offsetof(doc_meta, language)},
		{"date", " (the review date, YYYY-MM or YYYY-MM-DD)", offsetof(doc_meta, reviewed)},
		{"identifier", " (it names the output files, such as mums-bonding)", offsetof(doc_meta, identifier)},
	};
	for (size_t i = 0; i < sizeof req / sizeof *req; i++) {
		const void *p = *(const void *const *)((const char *)meta + req[i].off);
		if (req[i].off == offsetof(doc_meta, authors) && !meta->nauthors)
			p = NULL;
		if (!p)
			diag_add(m->d, DIAG_ERROR, m->out->at.file, m->out->at.line,
				 m->out->at.col, "the metadata has no '%s'%s",
				 req[i].key, req[i].hint);
	}
}

/* cover-image: (pandoc's key) with cover-alt:, both or neither; the
 * image found beside the booklet. */
static void mm_cover(mm *m)
{
	doc_meta *c = &m->doc->meta;
	if (!c->cover_image && !c->cover_alt)
		return;
	if (!c->cover_image) {
		diag_add(m->d, DIAG_ERROR, m->out->at.file, m->out->at.line,
			 m->out->at.col, "the metadata has cover-alt but no cover-image");
		return;
	}
	if (!c->cover_alt || !*c->cover_alt)
		diag_add(m->d, DIAG_ERROR, c->cover_pos.file, c->cover_pos.line,
			 c->cover_pos.col,
			 "cover-image needs cover-alt: what the cover shows, in words");
	asset_read_image(m->path, c->cover_image, &c->cover_pos, m->a, m->d,
			 &c->cover_data, &c->cover_len);
}

void mdmeta_read(const char *yaml, size_t len, int first_line,
		 const char *path, doc *d, md_meta *out, diag_list *dl)
{
	mm m = {d->arena, dl, path, d, out};
	out->at = (doc_pos){path, 1, 1};
	if (!yaml) {
		diag_add(dl, DIAG_ERROR, path, 1, 1,
			 "a Markdown booklet starts with a YAML metadata block: a line ---, "
			 "then title, abstract, author, publisher, lang, date and identifier, then ---");
		return;
	}
	size_t before = dl->errors;
	yt_node *root = yt_parse(yaml, len, path, first_line, m.a, dl);
	if (dl->errors > before)
		return;
	if (!root || root->kind != YT_MAP) {
		diag_add(dl, DIAG_ERROR, path, first_line, 1,
			 "the metadata block must hold keys and values (title: ...)");
		return;
	}
	unsigned seen = 0;
	for (const yt_node *k = root->first; k && k->next; k = k->next->next) {
		if (k->kind != YT_SCALAR)
			continue;
		size_t i = 0;
		while (mm_keys[i] && strcmp(mm_keys[i], k->text))
			i++;
		if (!mm_keys[i]) {
			mm_unknown(&m, k);
			continue;
		}
		if (seen & (1u << i)) {
			yt_error(dl, k, "'%s' is given twice in the metadata", k->text);
			continue;
		}
		seen |= 1u << i;
		mm_pair(&m, k, k->next);
	}
	mm_required(&m);
	mm_cover(&m);
}
