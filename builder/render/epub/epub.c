/* epub.c - the EPUB 3 renderer. Reads the checked document tree and builds
 * every file of the book with libxml2's tree API (so escaping is always
 * libxml2's): a title page, one XHTML file per part (the references part
 * holds the bibliography), nav.xhtml (contents and landmarks), toc.ncx for
 * older readers and the package document with Dublin Core and EPUB
 * Accessibility metadata (see book.h for which file makes what). The zip is
 * assembled in memory with libzip (fixed times and attributes, so builds
 * are reproducible) and written atomically by outfile_write. Citation text
 * comes from cite.c only. */
#include "render/epub/epub.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


#include "base/file.h"
#include "base/outfile.h"
#include "render/epub/book.h"
#include "render/epub/zipdl.h"

static int epub_cite_file_eq(const void *entry, const void *key)
{
	return strcmp(((const epub_cite_file *)entry)->anchor, key) == 0;
}

/* The file holding citation anchor, or NULL. */
const char *epub_cite_file_of(const epub *st, const char *anchor)
{
	const epub_cite_file *e = hmap_get(&st->cite_file, hash_str(anchor),
					   epub_cite_file_eq, anchor);
	return e ? e->file : NULL;
}

/* Record that file holds the citations of inline root (with their ids). */
void epub_cite_files_put(epub *st, const doc_node *root, const char *file)
{
	int entering = 1;
	doc_node *r = (doc_node *)root;
	for (doc_node *c = doc_walk(r, NULL, &entering); c;
	     c = doc_walk(r, c, &entering)) {
		if (!entering || c->type != DOC_CITE || !c->anchor)
			continue;
		epub_cite_file *e = arena_alloc(st->a, sizeof *e);
		e->anchor = c->anchor;
		e->file = file;
		if (hmap_put(&st->cite_file, hash_str(c->anchor), e) < 0)
			st->oom = 1;
	}
}

/* A new id, unique in the whole book: from the id registry. */
const char *epub_new_id(epub *st, const char *base)
{
	const char *id = idset_new(&st->ids, base);
	if (!id) {
		st->oom = 1;
		id = base;
	}
	return id;
}

/* Room for one more zip entry (the array is sized by epub_plan). */
int epub_entry_room(epub *st, const char *name)
{
	if (st->nentries < st->capentries)
		return 1;
	diag_add(st->diags, DIAG_ERROR, st->d->path, 0, 0,
		 "EPUB: internal error: no room for %s", name);
	return 0;
}

/* ---- planning: file names, ids, citation anchors --------------------- */

/* 1 if s can be a file name stem: an ASCII letter, then letters, digits,
 * '-' or '_', at most 64 bytes, and not one of the fixed names. */
static int epub_stem_ok(const char *s)
{
	static const char *const fixed[] = { "title", "nav", "toc", "package",
					     "style", "mimetype", "cover" };
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 64)
		return 0;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		if (strcmp(s, fixed[i]) == 0)
			return 0;
	return 1;
}

/* The citations of each entry, in document order (the standfirst, then
 * the parts): where its back links go. */
static void epub_plan_backs(epub *st)
{
	const doc *d = st->d;
	st->backs = arena_alloc(st->a, (d->nrefs + 1) * sizeof *st->backs);
	for (size_t i = 0; i < d->ninlines; i++) {
		int entering = 1;
		doc_node *root = d->inlines[i];
		for (doc_node *c = doc_walk(root, NULL, &entering); c;
		     c = doc_walk(root, c, &entering)) {
			if (!entering || c->type != DOC_CITE || !c->anchor ||
			    !c->refs)
				continue;
			for (size_t k = 0; k < c->nkeys; k++) {
				const doc_ref *r = c->refs[k];
				if (!r || r < d->refs || r >= d->refs + d->nrefs)
					continue;
				epub_backs *b = &st->backs[r - d->refs];
				if (b->n && b->anchors[b->n - 1] == c->anchor)
					continue;   /* cited twice in one group */
				if (b->n == b->cap) {
					size_t cap = b->cap ? 2 * b->cap : 4;
					b->anchors = arena_grow(st->a, b->anchors,
								b->n, cap,
								sizeof *b->anchors);
					b->cap = cap;
				}
				b->anchors[b->n++] = c->anchor;
			}
		}
	}
}

/* Decide each part's file, where each citation anchor lives, the back
 * links of each entry and the print page markers. Returns 0, or -1 with a
 * diagnostic. */
int epub_plan(epub *st)
{
	const doc *d = st->d;
	size_t n = 0;
	for (const doc_node *p = d->parts_first; p; p = p->next)
		n++;
	if (n == 0) {
		diag_add(st->diags, DIAG_ERROR, d->path, 0, 0, "EPUB: no parts");
		return -1;
	}
	/* mimetype, container, css, cover image and page, title page,
	 * parts, fonts, package, nav, ncx */
	st->capentries = n + 10 + 8;
	st->entries = arena_alloc(st->a, st->capentries * sizeof *st->entries);
	st->parts = arena_alloc(st->a, n * sizeof *st->parts);
	st->part_file = arena_alloc(st->a, n * sizeof *st->part_file);
	st->part_title = arena_alloc(st->a, n * sizeof *st->part_title);
	st->nparts = n;
	/* file stems, unique (a part's id, else part-N), through a registry
	 * of their own: ids and file names are different namespaces */
	idset stems;
	idset_init(&stems, NULL, st->a);
	size_t i = 0;
	for (const doc_node *p = d->parts_first; p; p = p->next, i++) {
		const char *stem = idset_new(&stems, epub_stem_ok(p->id) ? p->id
					     : arena_printf(st->a, "part-%zu", i + 1));
		if (!stem) {
			st->oom = 1;
			stem = "part";
		}
		const char *file = arena_printf(st->a, "%s.xhtml", stem);
		st->parts[i] = p;
		st->part_file[i] = file;
		const doc_node *h = doc_heading(p);
		const char *t = h ? doc_plain_text(st->a, h) : "";
		st->part_title[i] = *t ? t : arena_printf(st->a, "Part %zu", i + 1);
		int entering = 1;
		doc_node *root = (doc_node *)p;
		for (doc_node *c = doc_walk(root, NULL, &entering); c;
		     c = doc_walk(root, c, &entering)) {
			if (!entering)
				continue;
			if (c->type == DOC_BIBLIOGRAPHY && !st->refs_file) {
				st->refs_file = file;
				st->bib_id = c->parent ? c->parent->id : NULL;
			} else if (c->type == DOC_PARA || c->type == DOC_HEADING)
				epub_cite_files_put(st, c, file);
		}
	}
	idset_free(&stems);
	if (d->meta.standfirst)
		epub_cite_files_put(st, d->meta.standfirst, EPUB_TITLE_FILE);
	epub_plan_backs(st);
	epub_marks_plan(st);
	epub_fonts_plan(st);
	return 0;
}

static int epub_write_container(epub *st)
{
	xmlNodePtr c;
	xmlDocPtr xd = epub_xml_new(st, "container", EPUB_CONTAINER_NS, &c);
	epub_attr(st, c, "version", "1.0");
	xmlNodePtr rf = epub_el(st, epub_el(st, c, "rootfiles"), "rootfile");
	epub_attr(st, rf, "full-path", EPUB_DIR EPUB_OPF_FILE);
	epub_attr(st, rf, "media-type", "application/oebps-package+xml");
	return epub_add_xml(st, xd, "META-INF/container.xml");
}

/* Read the style sheet into a new entry. */
static int epub_read_css(epub *st, const char *path)
{
	const size_t max = 64u << 20;
	file_bytes f;
	file_status fs = file_read(path, max, &f);
	if (fs != FILE_OK) {
		file_report(st->diags, path, "style sheet", fs, &f, max);
		return -1;
	}
	if (!epub_entry_room(st, path)) {
		file_release(&f);
		return -1;
	}
	st->css_entry = st->nentries;
	st->entries[st->nentries++] =
		(epub_entry){ EPUB_DIR EPUB_CSS, f.data, f.len, 0 };
	return 0;
}

/* ---- the zip ---------------------------------------------------------- */

/* The drawn cover as a libzip source whose bytes are asked for only when
 * libzip comes to it in zip_close (the last entry): the cover is drawn on
 * another thread, and every other entry is compressed meanwhile. */
typedef struct epub_late {
	epub *st;
	const zipdl_api *Z;
	zip_uint64_t pos;
	zip_error_t err;
	int ready;
} epub_late;

static zip_int64_t epub_late_cb(void *ud, void *data, zip_uint64_t len,
				zip_source_cmd_t cmd)
{
	epub_late *l = ud;
	if ((cmd == ZIP_SOURCE_OPEN || cmd == ZIP_SOURCE_STAT) && !l->ready) {
		if (epub_cover_finish(l->st) < 0) {
			l->Z->error_set(&l->err, ZIP_ER_INTERNAL, 0);
			return -1;
		}
		l->ready = 1;
	}
	const epub_entry *e = &l->st->entries[l->st->cover_drawn];
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		l->pos = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		zip_uint64_t left = e->len - l->pos, n = len < left ? len : left;
		memcpy(data, (const char *)e->data + l->pos, n);
		l->pos += n;
		return (zip_int64_t)n;
	}
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_FREE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *s = data;
		if (len < sizeof *s)
			return -1;
		l->Z->stat_init(s);
		s->size = e->len;
		s->valid |= ZIP_STAT_SIZE;
		return sizeof *s;
	}
	case ZIP_SOURCE_ERROR:
		return l->Z->error_to_data(&l->err, data, len);
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_READABLE;
	default:
		l->Z->error_set(&l->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* Assemble entries[order[..]] into a zip in memory: the first entry stored,
 * the rest deflated, all with the DOS time of epoch and mode 0644; the
 * cover still being drawn (cover_late) read through epub_late.
 * On success *out is malloc memory of *outlen bytes. */
static int epub_zip(epub *st, const size_t *order, size_t n, long long epoch,
		    const char *out_path, void **out, size_t *outlen)
{
	zip_error_t ze;
	zip_source_t *src = NULL;
	zip_t *za = NULL;
	epub_late late = {0};
	void *bytes = NULL;
	int rc = -1, opened = 0;
	char lerr[300];
	const zipdl_api *Z = zipdl_load(lerr, sizeof lerr);
	if (!Z) {       /* the installation's fault, not the booklet's */
		diag_io(st->diags, out_path, "cannot build EPUB zip: %s", lerr);
		return -1;
	}
	Z->error_init(&ze);

	time_t t = (time_t)(epoch < 315532800 ? 315532800 : epoch); /* >= 1980 */
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		diag_add(st->diags, DIAG_ERROR, out_path, 0, 0, "EPUB: bad time");
		goto out;
	}
	zip_uint16_t dtime = (zip_uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
	zip_uint16_t ddate = (zip_uint16_t)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);

	src = Z->source_buffer_create(NULL, 0, 0, &ze);
	if (!src)
		goto zerr;
	za = Z->open_from_source(src, ZIP_TRUNCATE, &ze);
	if (!za)
		goto zerr;
	Z->source_keep(src);   /* ours, to read the bytes after zip_close */
	late.st = st;
	late.Z = Z;
	Z->error_init(&late.err);
	for (size_t i = 0; i < n; i++) {
		const epub_entry *e = &st->entries[order[i]];
		zip_source_t *s = st->cover_late && order[i] == st->cover_drawn
			? Z->source_function(za, epub_late_cb, &late)
			: Z->source_buffer(za, e->data, e->len, 0);
		zip_int64_t idx = s ? Z->file_add(za, e->name, s, ZIP_FL_ENC_GUESS) : -1;
		if (idx < 0) {
			Z->source_free(s);
			Z->error_set(&ze, Z->error_code_zip(Z->get_error(za)), 0);
			goto zerr;
		}
		zip_uint64_t u = (zip_uint64_t)idx;
		/* the mimetype stored (OCF), pictures stored (PNG and JPEG
		 * are compressed already: deflating the cover again cost
		 * more than the rest of the zip and saved 12%) */
		size_t nl = strlen(e->name);
		int stored = i == 0 || (nl > 4 && (!strcmp(e->name + nl - 4, ".png") ||
						  !strcmp(e->name + nl - 4, ".jpg")));
		if (Z->set_file_compression(za, u, stored ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
					     stored ? 0 : 6) < 0 ||
		    Z->file_set_dostime(za, u, dtime, ddate, 0) < 0 ||
		    Z->file_set_external_attributes(za, u, 0, ZIP_OPSYS_UNIX,
						     (zip_uint32_t)0100644 << 16) < 0) {
			Z->error_set(&ze, Z->error_code_zip(Z->get_error(za)), 0);
			goto zerr;
		}
	}
	if (Z->close(za) < 0) {
		Z->error_set(&ze, Z->error_code_zip(Z->get_error(za)), 0);
		Z->discard(za);
		za = NULL;
		goto zerr;
	}
	za = NULL;
	if (Z->source_open(src) < 0)
		goto srcerr;
	opened = 1;
	if (Z->source_seek(src, 0, SEEK_END) < 0)
		goto srcerr;
	zip_int64_t size = Z->source_tell(src);
	if (size <= 0 || Z->source_seek(src, 0, SEEK_SET) < 0)
		goto srcerr;
	bytes = malloc((size_t)size);
	if (!bytes) {
		diag_add(st->diags, DIAG_ERROR, out_path, 0, 0, "out of memory");
		goto out;
	}
	if (Z->source_read(src, bytes, (zip_uint64_t)size) != size)
		goto srcerr;
	*out = bytes;
	*outlen = (size_t)size;
	bytes = NULL;
	rc = 0;
	goto out;
srcerr:
	Z->error_set(&ze, Z->error_code_zip(Z->source_error(src)), 0);
zerr:
	diag_add(st->diags, DIAG_ERROR, out_path, 0, 0, "cannot build EPUB zip: %s",
		 Z->error_strerror(&ze));
out:
	if (za)
		Z->discard(za);
	if (opened)
		Z->source_close(src);
	if (src)
		Z->source_free(src);
	free(bytes);
	if (late.Z)
		Z->error_fini(&late.err);
	Z->error_fini(&ze);
	return rc;
}

/* ---- the whole book --------------------------------------------------- */

static int epub_add_bytes(epub *st, const char *name, const char *s)
{
	size_t n = strlen(s);
	if (!epub_entry_room(st, name))
		return -1;
	char *p = malloc(n ? n : 1);
	if (!p) {
		diag_add(st->diags, DIAG_ERROR, st->d->path, 0, 0, "out of memory");
		return -1;
	}
	memcpy(p, s, n);
	st->entries[st->nentries++] = (epub_entry){ name, p, n, 0 };
	return 0;
}

/* Tell the caller, once, that print is no longer read. */
static void epub_release(epub *st)
{
	if (!st->released && st->opt->release)
		st->opt->release(st->opt->release_ctx);
	st->released = 1;
}

int epub_write(const doc *d, const epub_options *o, const char *out_path,
	       diag_list *diags)
{
	long long epoch = o->epoch;
	/* Its own arena, not the document's: the EPUB may be written on a
	 * thread of its own while the PDFs are laid out. */
	arena a = {0};
	epub st = { .d = d, .opt = o, .a = &a, .diags = diags };
	void *zipdata = NULL;
	size_t ziplen = 0;
	size_t *order = NULL;
	int rc = -1;

	idset_init(&st.ids, &d->ids, st.a);
	st.lang = d->meta.language && *d->meta.language ? d->meta.language : "en";
	st.title = d->meta.title && *d->meta.title ? d->meta.title : "Untitled";
	struct tm tm;
	time_t t = (time_t)epoch;
	if (epoch < 0 || epoch > 253402300799LL || !gmtime_r(&t, &tm)) {
		diag_add(diags, DIAG_ERROR, out_path, 0, 0,
			 "EPUB: modification time %lld out of range", epoch);
		goto out;
	}
	char modified[32];
	strftime(modified, sizeof modified, "%Y-%m-%dT%H:%M:%SZ", &tm);

	if (epub_plan(&st) < 0)
		goto out;
	/* mimetype first (stored), then the content files, then those that
	 * list them (the package, nav and NCX). */
	if (epub_add_bytes(&st, "mimetype", "application/epub+zip") < 0 ||
	    epub_write_container(&st) < 0 || epub_read_css(&st, o->css_path) < 0 ||
	    epub_cover_make(&st) < 0)
		goto out;
	if (!st.cover_late)
		epub_release(&st);      /* print is not read after this */
	if (epub_write_titlepage(&st) < 0)
		goto out;
	for (size_t i = 0; i < st.nparts; i++)
		if (epub_write_part(&st, i) < 0)
			goto out;
	if (epub_fonts_make(&st, st.css_entry) < 0)
		goto out;
	const char *uid = epub_uuid(st.a, d->meta.identifier, d->meta.publisher);
	epub_toc *toc = NULL;
	size_t ntoc = epub_toc_entries(&st, &toc);
	epub_play_order(&st, toc, ntoc);
	size_t first_late = st.nentries;
	if (epub_write_opf(&st, modified) < 0 ||
	    epub_write_nav(&st, toc, ntoc) < 0 ||
	    epub_write_ncx(&st, uid, toc, ntoc) < 0)
		goto out;
	/* zip order: mimetype, container, package, nav, ncx, css, pages,
	 * the drawn cover last (it may still be being drawn: see epub_zip) */
	order = arena_alloc(st.a, st.nentries * sizeof *order);
	size_t k = 0;
	order[k++] = 0;
	order[k++] = 1;
	for (size_t i = first_late; i < st.nentries; i++)
		order[k++] = i;
	for (size_t i = 2; i < first_late; i++)
		if (i != st.cover_drawn)
			order[k++] = i;
	if (st.cover_drawn)
		order[k++] = st.cover_drawn;
	if (epub_zip(&st, order, k, epoch, out_path, &zipdata, &ziplen) < 0)
		goto out;
	epub_release(&st);      /* print is not read after this */
	if (outfile_write(out_path, zipdata, ziplen, diags) < 0)
		goto out;
	rc = 0;
out:
	epub_release(&st);
	for (size_t i = 0; i < st.nentries; i++) {
		if (st.entries[i].from_xml)
			xmlFree(st.entries[i].data);
		else
			free(st.entries[i].data);
	}
	free(zipdata);
	idset_free(&st.ids);
	hmap_free(&st.cite_file);
	hmap_free(&st.mark_keys);
	arena_free(&a);
	return rc;
}
