/* tags.c - the structure tree of a tagged PDF (PDF/UA-1): marked content
 * in the page content (BDC with an MCID around the runs of each element,
 * /Artifact BMC around page furniture), link annotations as OBJRs of their
 * Link elements, and at the end the StructTreeRoot: one dictionary per
 * element, the ParentTree (a number tree from each page's MCIDs and each
 * annotation back to their elements) and MarkInfo.
 *
 * The layout's elements (lo_struct) know their parents, not their
 * children. An element joins its parent's children when its first content
 * is drawn (pdf_tag_mark) or its first annotation made (pdf_tag_annot), so
 * children are in reading order: pages in order, and on a page the order
 * of its runs. Elements with no content are left out. Every child (an
 * element, an MCID, an annotation) is a pdf_kid record in one array, in
 * the order met; pdf_tags_finish groups them by parent, keeping that
 * order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "render/pdf/hpdf_private.h"
#include "render/pdf/writer.h"

enum { PDF_KID_ELEM, PDF_KID_MCID, PDF_KID_OBJR };
enum { PDF_NUMS_LEAF = 512 };   /* ParentTree entries per leaf */

/* The standard structure type (ISO 32000-1, 14.8.4) of element e. */
static const char *pdf_tag_name(const lo_struct *e)
{
	static const char *const names[LO_STYPE_MAX] = {
		"Document", "Sect", "H", "P", "L", "LI", "Lbl", "LBody",
		"BlockQuote", "TOC", "TOCI", "Reference", "Link", "BibEntry",
		"Figure", "Caption"
	};
	static const char *const heads[6] = {"H1", "H2", "H3", "H4", "H5", "H6"};

	if (e->type == LO_H)
		return heads[e->level < 1 ? 0 : e->level > 6 ? 5 : e->level - 1];
	return e->type < LO_STYPE_MAX ? names[e->type] : "NonStruct";
}

int pdf_tags_start(pdf_writer *w)
{
	pdf_tags *t = &w->tags;
	const lo_struct *s = w->lo->structs;
	size_t i;

	memset(t, 0, sizeof *t);
	t->cur = -1;
	if (w->o->impose || w->o->pdfx || w->lo->nstructs == 0)
		return 0;
	/* parents come before their children, so walking up ends */
	for (i = 1; i < w->lo->nstructs; i++)
		if (s[i].parent < 0 || (size_t)s[i].parent >= i) {
			diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
				 "cannot write PDF: structure element %zu "
				 "has parent %d (internal error)", i,
				 s[i].parent);
			return -1;
		}
	t->on = 1;
	t->nelems = w->lo->nstructs;
	t->attached = xcalloc(t->nelems, 1);
	t->attached[0] = 1;              /* the Document is the root */
	t->next_mcid = xcalloc((size_t)w->nsides, sizeof *t->next_mcid);
	return 0;
}

void pdf_tags_free(pdf_writer *w)
{
	free(w->tags.attached);
	free(w->tags.kids);
	free(w->tags.next_mcid);
	free(w->tags.annots);
	free(w->tags.num);
	free(w->tags.order);
	free(w->tags.first);
	free(w->tags.objr_kid);
	memset(&w->tags, 0, sizeof w->tags);
}

static void pdf_kid_add(pdf_tags *t, int elem, int kind, int side, int val)
{
	if (t->nkids == t->capkids) {
		t->capkids = t->capkids ? 2 * t->capkids : 1024;
		t->kids = xreallocarray(t->kids, t->capkids, sizeof *t->kids);
	}
	t->kids[t->nkids++] = (pdf_kid){elem, kind, side, val};
}

/* Element e joins its parent's children, and its ancestors theirs, those
 * not yet in the tree first (so each parent's list is in reading order). */
static void pdf_tag_attach(pdf_writer *w, int e)
{
	pdf_tags *t = &w->tags;
	const lo_struct *s = w->lo->structs;
	int top = e;

	while (!t->attached[e]) {
		/* the highest ancestor of e not yet attached */
		top = e;
		while (!t->attached[s[top].parent])
			top = s[top].parent;
		pdf_kid_add(t, s[top].parent, PDF_KID_ELEM, -1, top);
		t->attached[top] = 1;
	}
}

/* Whether e is an element content can belong to (anything else is
 * drawn as an artifact). */
static int pdf_tag_valid(const pdf_writer *w, int e)
{
	return e > 0 && (size_t)e < w->tags.nelems;
}

int pdf_tag_changes(const pdf_writer *w, int elem)
{
	if (!w->tags.on)
		return 0;
	return (pdf_tag_valid(w, elem) ? elem : LO_ARTIFACT) != w->tags.cur;
}

void pdf_tag_mark(pdf_writer *w, buf *ops, int side, int elem)
{
	pdf_tags *t = &w->tags;

	if (!t->on)
		return;
	if (!pdf_tag_valid(w, elem))
		elem = LO_ARTIFACT;
	if (elem == t->cur)
		return;
	if (t->cur >= 0)
		buf_puts(ops, "EMC\n");
	t->cur = elem;
	if (elem == LO_ARTIFACT) {
		buf_puts(ops, "/Artifact BMC\n");
		return;
	}
	pdf_tag_attach(w, elem);
	int mcid = t->next_mcid[side]++;
	pdf_kid_add(t, elem, PDF_KID_MCID, side, mcid);
	buf_printf(ops, "/%s <</MCID %d>> BDC\n",
		   pdf_tag_name(&w->lo->structs[elem]), mcid);
}

void pdf_tag_close(pdf_writer *w, buf *ops)
{
	if (w->tags.on && w->tags.cur >= 0)
		buf_puts(ops, "EMC\n");
	w->tags.cur = -1;
}

int pdf_tag_annot(pdf_writer *w, HPDF_Annotation a, int side, int elem,
		  int *key)
{
	pdf_tags *t = &w->tags;

	*key = -1;
	/* a link the layout gave no element stays out of the tree (and
	 * pdfua_check's 28-011 says so) */
	if (!t->on || !pdf_tag_valid(w, elem))
		return 0;
	if (t->nannots == t->capannots) {
		t->capannots = t->capannots ? 2 * t->capannots : 64;
		t->annots = xreallocarray(t->annots, t->capannots,
					  sizeof *t->annots);
	}
	*key = w->nsides + (int)t->nannots;
	t->annots[t->nannots] = hpriv_obj_num(a);
	pdf_tag_attach(w, elem);
	pdf_kid_add(t, elem, PDF_KID_OBJR, side, (int)t->nannots++);
	return 0;
}

/* The kids grouped by parent into t->order, with t->first[e] the start
 * of element e's and t->first[e + 1] its end (a counting sort: each
 * element's kids stay in the order they were met). */
static void pdf_kids_by_parent(pdf_tags *t)
{
	size_t *f = xcalloc(t->nelems + 1, sizeof *f);
	size_t *o = xmalloc((t->nkids ? t->nkids : 1) * sizeof *o);
	size_t *at = xmalloc((t->nelems + 1) * sizeof *at);
	size_t i;

	for (i = 0; i < t->nkids; i++)
		f[t->kids[i].elem + 1]++;
	for (i = 0; i < t->nelems; i++)
		f[i + 1] += f[i];
	memcpy(at, f, (t->nelems + 1) * sizeof *at);
	for (i = 0; i < t->nkids; i++)
		o[at[t->kids[i].elem]++] = i;
	free(at);
	t->order = o;
	t->first = f;
}

/* "N 0 R" for object number n. */
static void pdf_ref(buf *b, unsigned long n)
{
	char s[32], *p = s + sizeof s;
	p -= 4;
	memcpy(p, " 0 R", 4);
	do {
		*--p = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	buf_put(b, p, (size_t)(s + sizeof s - p));
}

/* " /K ..." of element e: its MCIDs (plain numbers on its page, which
 * *pg is set to; marked-content references on other pages), child
 * elements and annotations (OBJR), in order; an array unless there is
 * one. */
static void pdf_tag_kids(pdf_writer *w, buf *b, int e, int *pg)
{
	pdf_tags *t = &w->tags;
	size_t from = t->first[e], to = t->first[e + 1], i;

	*pg = -1;
	for (i = from; i < to && *pg < 0; i++)
		if (t->kids[t->order[i]].kind == PDF_KID_MCID)
			*pg = t->kids[t->order[i]].side;
	buf_puts(b, to - from == 1 ? "/K " : "/K [");
	for (i = from; i < to; i++) {
		const pdf_kid *c = &t->kids[t->order[i]];

		if (i > from)
			buf_puts(b, " ");
		if (c->kind == PDF_KID_ELEM) {
			pdf_ref(b, t->num[c->val]);
		} else if (c->kind == PDF_KID_MCID && c->side == *pg) {
			buf_printf(b, "%d", c->val);
		} else if (c->kind == PDF_KID_MCID) {
			buf_puts(b, "<</Type /MCR /Pg ");
			pdf_ref(b, hpriv_obj_num(w->sides[c->side]));
			buf_printf(b, " /MCID %d>>", c->val);
		} else {
			buf_puts(b, "<</Type /OBJR /Pg ");
			pdf_ref(b, hpriv_obj_num(w->sides[c->side]));
			buf_puts(b, " /Obj ");
			pdf_ref(b, t->annots[c->val]);
			buf_puts(b, ">>");
		}
	}
	buf_puts(b, to - from == 1 ? "\n" : "]\n");
}

/* The entries of element e's dictionary: /S, /P, /Pg, /K and its
 * attributes (a list's numbering, a figure's text), for a tree root
 * numbered root. */
static void pdf_tag_entries(pdf_writer *w, buf *b, int e, unsigned long root)
{
	static const char *const numbering[] = {"None", "Decimal", "Disc"};
	const lo_struct *s = &w->lo->structs[e];
	int pg;

	buf_printf(b, "/S /%s /P ", pdf_tag_name(s));
	pdf_ref(b, e ? w->tags.num[s->parent] : root);
	buf_puts(b, "\n");
	pdf_tag_kids(w, b, e, &pg);
	if (pg >= 0) {
		buf_puts(b, "/Pg ");
		pdf_ref(b, hpriv_obj_num(w->sides[pg]));
		buf_puts(b, "\n");
	}
	if (s->type == LO_L)
		buf_printf(b, "/A <</O /List /ListNumbering /%s>>\n",
			   numbering[s->numbering <= LO_NUM_DISC ?
				     s->numbering : 0]);
	if (s->type == LO_FIGURE && s->alt) {
		buf_puts(b, "/Alt ");
		pdf_put_text(b, s->alt);
		buf_puts(b, "\n");
	}
}

/* Whether ParentTree key k is used: a page with MCIDs (page_first[p]
 * is the first of page p's MCID kids), or an annotation. */
static int pdf_key_used(const pdf_writer *w, const size_t *page_first,
			size_t k)
{
	return k >= (size_t)w->nsides || page_first[k + 1] > page_first[k];
}

/* The ParentTree's entries from key *key on (a used one), at most
 * PDF_NUMS_LEAF, into b: each page's MCIDs (key: the page's index) and
 * each annotation (key: the pages' count + its index) to their elements.
 * The first and last keys written in lim; *key moves past them. */
static void pdf_nums(pdf_writer *w, buf *b, const size_t *mcid_kids,
		     const size_t *page_first, size_t *key, size_t nkeys,
		     size_t lim[2])
{
	pdf_tags *t = &w->tags;
	size_t n = 0, k;

	lim[0] = *key;
	buf_puts(b, "/Nums [");
	for (k = *key; k < nkeys && n < PDF_NUMS_LEAF; k++) {
		if (!pdf_key_used(w, page_first, k))
			continue;
		buf_printf(b, "%s%zu ", n ? "\n" : "", k);
		if (k < (size_t)w->nsides) {
			buf_puts(b, "[");
			for (size_t a = page_first[k]; a < page_first[k + 1]; a++) {
				if (a > page_first[k])
					buf_puts(b, " ");
				pdf_ref(b, t->num[t->kids[mcid_kids[a]].elem]);
			}
			buf_puts(b, "]");
		} else {
			/* the annotation's Link: the OBJR kid naming it */
			const pdf_kid *c =
				&t->kids[t->objr_kid[k - (size_t)w->nsides]];

			pdf_ref(b, t->num[c->elem]);
		}
		lim[1] = k;
		n++;
	}
	buf_puts(b, "]\n");
	*key = k;
}

/* The ParentTree as a number tree of raw objects: one leaf, or a root
 * whose /Kids are leaves of PDF_NUMS_LEAF entries with their /Limits.
 * Every page with MCIDs gets its /StructParents. Its object number, or
 * 0 (reported). */
static unsigned long pdf_parent_tree(pdf_writer *w)
{
	pdf_tags *t = &w->tags;
	size_t nkeys = (size_t)w->nsides + t->nannots, key = 0, i;
	size_t lim[2] = {0, 0};
	size_t *mcid_kids = xmalloc((t->nkids ? t->nkids : 1) * sizeof(size_t));
	size_t *page_first = xcalloc((size_t)w->nsides + 1, sizeof(size_t));
	size_t nmcid = 0, nleaves = 0;
	unsigned long *leaves = NULL, num = 0;
	size_t off;

	/* MCID kids were met page by page, MCIDs counting up on each */
	for (i = 0; i < t->nkids; i++) {
		if (t->kids[i].kind == PDF_KID_MCID) {
			page_first[t->kids[i].side + 1]++;
			mcid_kids[nmcid++] = i;
		} else if (t->kids[i].kind == PDF_KID_OBJR) {
			t->objr_kid[t->kids[i].val] = i;
		}
	}
	for (i = 0; i < (size_t)w->nsides; i++) {
		page_first[i + 1] += page_first[i];
		if (page_first[i + 1] > page_first[i])
			PDF_TRY(w, HPDF_Dict_AddNumber(w->sides[i],
				"StructParents", (HPDF_INT)i));
	}
	leaves = xmalloc((nkeys / PDF_NUMS_LEAF + 2) * sizeof *leaves);
	for (;;) {
		while (key < nkeys && !pdf_key_used(w, page_first, key))
			key++;
		if (key == nkeys && nleaves)
			break;
		off = w->raw.len;
		pdf_nums(w, &w->raw, mcid_kids, page_first, &key, nkeys, lim);
		if (key < nkeys || nleaves)
			buf_printf(&w->raw, "/Limits [%zu %zu]\n", lim[0],
				   lim[1]);
		num = hpriv_obj_num(hpriv_raw_object(w->pdf,
						     pdf_raw_since(w, off)));
		if (!num) {
			pdf_fail(w, w->out_path, "no ParentTree object");
			goto fail;
		}
		leaves[nleaves++] = num;
	}
	if (nleaves > 1) {
		off = w->raw.len;
		buf_puts(&w->raw, "/Kids [");
		for (i = 0; i < nleaves; i++) {
			if (i)
				buf_puts(&w->raw, " ");
			pdf_ref(&w->raw, leaves[i]);
		}
		buf_puts(&w->raw, "]\n");
		num = hpriv_obj_num(hpriv_raw_object(w->pdf,
						     pdf_raw_since(w, off)));
		if (!num)
			pdf_fail(w, w->out_path, "no ParentTree object");
	}
	free(leaves);
	free(mcid_kids);
	free(page_first);
	return num;
fail:
	free(leaves);
	free(mcid_kids);
	free(page_first);
	return 0;
}

/* An object for every element in the tree (their entries in er[],
 * filled by pdf_tag_fill once every element has its number). Returns 0,
 * or -1 (reported). */
static int pdf_tag_objects(pdf_writer *w, hpriv_raw *er)
{
	pdf_tags *t = &w->tags;

	t->num = xcalloc(t->nelems, sizeof *t->num);
	for (size_t e = 0; e < t->nelems; e++) {
		if (!t->attached[e])
			continue;
		er[e].text = &w->raw;
		t->num[e] = hpriv_obj_num(hpriv_raw_object(w->pdf, &er[e]));
		if (!t->num[e]) {
			pdf_fail(w, w->out_path, "no structure element object");
			return -1;
		}
	}
	return 0;
}

/* The entries of every element's object (for a tree root numbered
 * root). */
static void pdf_tag_fill(pdf_writer *w, hpriv_raw *er, unsigned long root)
{
	for (size_t e = 0; e < w->tags.nelems; e++) {
		if (!w->tags.num[e])
			continue;
		er[e].off = w->raw.len;
		pdf_tag_entries(w, &w->raw, (int)e, root);
		er[e].len = w->raw.len - er[e].off;
	}
}

int pdf_tags_finish(pdf_writer *w)
{
	pdf_tags *t = &w->tags;
	hpriv_raw *root_raw, *er;
	HPDF_Dict root, mark, cat = hpriv_catalog(w->pdf);
	unsigned long pt;
	size_t off;

	if (!t->on)
		return 0;
	w->stage = "writing the structure tree";
	t->objr_kid = xmalloc((t->nannots ? t->nannots : 1) *
			      sizeof *t->objr_kid);
	/* the root's entries are known last; its number is needed first */
	root_raw = pdf_raw_since(w, w->raw.len);
	root = hpriv_raw_object(w->pdf, root_raw);
	PDF_NEED(w, root);
	er = arena_alloc(&w->mem, t->nelems * sizeof *er);
	if (pdf_tag_objects(w, er))
		goto fail;
	pdf_kids_by_parent(t);
	pdf_tag_fill(w, er, hpriv_obj_num(root));
	pt = pdf_parent_tree(w);
	if (!pt)
		goto fail;
	off = w->raw.len;
	buf_puts(&w->raw, "/Type /StructTreeRoot /K ");
	pdf_ref(&w->raw, t->num[0]);
	buf_puts(&w->raw, "\n/ParentTree ");
	pdf_ref(&w->raw, pt);
	buf_printf(&w->raw, "\n/ParentTreeNextKey %zu\n",
		   (size_t)w->nsides + t->nannots);
	root_raw->off = off;
	root_raw->len = w->raw.len - off;
	PDF_TRY(w, HPDF_Dict_Add(cat, "StructTreeRoot", root));
	mark = hpriv_dict(w->pdf);
	PDF_NEED(w, mark);
	PDF_TRY(w, HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE));
	PDF_TRY(w, HPDF_Dict_Add(cat, "MarkInfo", mark));
	return 0;
fail:
	return -1;
}
