/* hyph.c - owns hyphenation: normalises a word (strips surrounding
 * punctuation, lowercases ASCII/Latin-1/Latin Extended-A, splits at
 * apostrophes and dashes), asks libhyphen (hnj_hyphen_hyphenate2) for each
 * letter run, maps its per-character answer back to byte offsets in the
 * original word, and caches the result per word.
 *
 * Loading: libhyphen's hnj_hyphen_load builds its pattern automaton with a
 * string hash per prefix and a malloc per state, 13 ms for the en-GB
 * patterns - more than laying out the whole booklet. hyph_compile builds
 * the same automaton (the prefixes of the patterns as states, their
 * transitions, Aho-Corasick fallbacks, and the default compound level
 * hnj_hyphen_load adds) from a trie in a few blocks, so libhyphen's own
 * hyphenation runs on it unchanged; tests check both give the same answer
 * for every word. Files using features it does not handle (replacement
 * patterns, NEXTLEVEL) go to hnj_hyphen_load. */
#include "typeset/hyph.h"

#include <hyphen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "base/hash.h"
#include "base/utf8.h"

enum {
	HYPH_LMIN = 2,             /* letters before a break, at least */
	HYPH_RMIN = 3,             /* letters after a break, at least */
	HYPH_MIN_LETTERS = 5,
	HYPH_MAX_WORD = 256,       /* longer "words" are not hyphenated */
	HYPH_MAX_PTS = 64,
	HYPH_CACHE_MAX = 1 << 16,  /* entries; the table stops growing here */
};

/* A word's breaks, cached (one allocation: the points, then the word). */
typedef struct hyph_entry {
	size_t len;
	uint16_t npts;
	uint16_t *pts;
	char word[];
} hyph_entry;

struct hyph {
	HyphenDict *dict;
	int compiled;              /* dict built by hyph_compile (1) or from
				      an image (2), not libhyphen (0) */
	HyphenTrans *trans[2];     /* its blocks, per level (compiled only) */
	char *text[2];
	hmap cache;                /* word -> hyph_entry (base/hash.h) */
	pthread_mutex_t lock;      /* the cache: a run's booklets share h */
};

/* An empty hyph with its lock; NULL when memory runs out. */
static hyph *hyph_new(void)
{
	hyph *h = calloc(1, sizeof *h);
	if (h && pthread_mutex_init(&h->lock, NULL) != 0) {
		free(h);
		return NULL;
	}
	return h;
}


/* ---- the pattern compiler ------------------------------------------- */

enum { HYPH_LINE_MAX = MAX_CHARS };   /* libhyphen's fgets buffer */

/* One level of the automaton while it is built: a trie of the pattern
 * words (bytes), each node a state. */
typedef struct hyph_trie {
	int *child, *sibling;      /* first child, next sibling; -1 none */
	char *ch;                  /* byte on the edge into the node */
	int *match;                /* offset into text, -1 none */
	int n, cap;
	char *text;                /* match strings, NUL-terminated */
	size_t tlen, tcap;
	char lhmin, rhmin, clhmin, crhmin;
	char *nohyphen;
	int nohyphenl;
	int oom;
} hyph_trie;

static int hyph_trie_node(hyph_trie *t, char c)
{
	if (t->n == t->cap) {
		int cap = t->cap ? t->cap * 2 : 1024;
		int *a = realloc(t->child, (size_t)cap * sizeof *a);
		if (a) t->child = a;
		int *b = a ? realloc(t->sibling, (size_t)cap * sizeof *b) : NULL;
		if (b) t->sibling = b;
		char *c2 = b ? realloc(t->ch, (size_t)cap) : NULL;
		if (c2) t->ch = c2;
		int *m = c2 ? realloc(t->match, (size_t)cap * sizeof *m) : NULL;
		if (!m) {
			t->oom = 1;
			return -1;
		}
		t->match = m;
		t->cap = cap;
	}
	t->child[t->n] = t->sibling[t->n] = t->match[t->n] = -1;
	t->ch[t->n] = c;
	return t->n++;
}

static int hyph_trie_step(const hyph_trie *t, int node, char c)
{
	for (int k = t->child[node]; k >= 0; k = t->sibling[k])
		if (t->ch[k] == c)
			return k;
	return -1;
}

static int hyph_trie_text(hyph_trie *t, const char *s)
{
	size_t n = strlen(s) + 1;
	if (t->tlen + n > t->tcap) {
		size_t cap = t->tcap ? t->tcap * 2 : 65536;
		while (cap < t->tlen + n)
			cap *= 2;
		char *p = realloc(t->text, cap);
		if (!p) {
			t->oom = 1;
			return -1;
		}
		t->text = p;
		t->tcap = cap;
	}
	memcpy(t->text + t->tlen, s, n);
	t->tlen += n;
	return (int)(t->tlen - n);
}

/* "NOHYPHEN a,b,c": as libhyphen keeps it, the list with its commas and
 * the final character (the newline) turned into NULs, and the count of
 * commas. */
static void hyph_trie_nohyphen(hyph_trie *t, const char *arg)
{
	while (*arg == ' ' || *arg == '\t')
		arg++;
	free(t->nohyphen);
	t->nohyphen = NULL;
	t->nohyphenl = 0;
	if (!*arg)
		return;
	size_t n = strlen(arg);
	t->nohyphen = malloc(n + 1);
	if (!t->nohyphen) {
		t->oom = 1;
		return;
	}
	memcpy(t->nohyphen, arg, n + 1);
	char *e = t->nohyphen + n - 1;
	*e = 0;
	for (e--; e > t->nohyphen; e--)
		if (*e == ',') {
			t->nohyphenl++;
			*e = 0;
		}
}

/* One line as hnj_hyphen_load_line reads it (no replacement patterns). */
static void hyph_trie_line(hyph_trie *t, const char *buf)
{
	char word[MAX_CHARS], pattern[MAX_CHARS];
	int i, j = 0;

	if (buf[0] < 'A' || buf[0] > 'Z')
		goto pattern;   /* no directive: the common case */
	if (!strncmp(buf, "LEFTHYPHENMIN", 13)) {
		t->lhmin = (char)atoi(buf + 13);
		return;
	}
	if (!strncmp(buf, "RIGHTHYPHENMIN", 14)) {
		t->rhmin = (char)atoi(buf + 14);
		return;
	}
	if (!strncmp(buf, "COMPOUNDLEFTHYPHENMIN", 21)) {
		t->clhmin = (char)atoi(buf + 21);
		return;
	}
	if (!strncmp(buf, "COMPOUNDRIGHTHYPHENMIN", 22)) {
		t->crhmin = (char)atoi(buf + 22);
		return;
	}
	if (!strncmp(buf, "NOHYPHEN", 8)) {
		hyph_trie_nohyphen(t, buf + 8);
		return;
	}
pattern:
	pattern[0] = '0';
	for (i = 0; (unsigned char)buf[i] > ' ' && j < MAX_CHARS - 2; i++) {
		if (buf[i] >= '0' && buf[i] <= '9') {
			pattern[j] = buf[i];
		} else {
			word[j] = buf[i];
			pattern[++j] = '0';
		}
	}
	word[j] = 0;
	pattern[j + 1] = 0;
	for (i = 0; pattern[i] == '0'; i++)
		;
	int node = 0;
	for (int k = 0; k < j; k++) {
		int next = hyph_trie_step(t, node, word[k]);
		if (next < 0) {
			next = hyph_trie_node(t, word[k]);
			if (next < 0)
				return;
			t->sibling[next] = t->child[node];
			t->child[node] = next;
		}
		node = next;
	}
	t->match[node] = hyph_trie_text(t, pattern + i);
}

static void hyph_trie_free(hyph_trie *t)
{
	free(t->child);
	free(t->sibling);
	free(t->ch);
	free(t->match);
	free(t->text);
	free(t->nohyphen);
}

/* The libhyphen dictionary of a finished trie: the states, one block of
 * transitions, the match strings, fallbacks by breadth-first search. Takes
 * the trie's text and nohyphen; *trans gets the transitions block (both
 * are freed by hyph_free_compiled). NULL when out of memory. */
static HyphenDict *hyph_trie_dict(hyph_trie *t, const char *cset, int utf8,
				  HyphenTrans **trans)
{
	HyphenDict *d = calloc(1, sizeof *d);
	HyphenState *st = calloc((size_t)t->n, sizeof *st);
	HyphenTrans *tr = malloc((size_t)(t->n > 1 ? t->n - 1 : 1) * sizeof *tr);
	int *queue = malloc((size_t)t->n * sizeof *queue);
	if (!d || !st || !tr || !queue) {
		free(d);
		free(st);
		free(tr);
		free(queue);
		return NULL;
	}
	int used = 0, head = 0, tail = 0;
	queue[tail++] = 0;
	st[0].fallback_state = -1;
	while (head < tail) {
		int u = queue[head++];
		st[u].trans = tr + used;
		st[u].match = t->match[u] >= 0 ? t->text + t->match[u] : NULL;
		st[u].replcut = 0;
		for (int v = t->child[u]; v >= 0; v = t->sibling[v]) {
			tr[used].ch = t->ch[v];
			tr[used].new_state = v;
			used++;
			st[u].num_trans++;
			/* fallback: the longest proper suffix that is a state */
			int f = u ? st[u].fallback_state : -1, to = 0;
			for (; f >= 0; f = f ? st[f].fallback_state : -1) {
				int w = hyph_trie_step(t, f, t->ch[v]);
				if (w >= 0) {
					to = w;
					break;
				}
			}
			st[v].fallback_state = to;
			queue[tail++] = v;
		}
		if (!st[u].num_trans)
			st[u].trans = NULL;
	}
	free(queue);
	d->lhmin = t->lhmin;
	d->rhmin = t->rhmin;
	d->clhmin = t->clhmin;
	d->crhmin = t->crhmin;
	d->nohyphen = t->nohyphen;
	d->nohyphenl = t->nohyphenl;
	t->nohyphen = NULL;
	d->num_states = t->n;
	snprintf(d->cset, sizeof d->cset, "%s", cset);
	d->utf8 = utf8;
	d->states = st;
	*trans = tr;
	return d;
}

/* Free a dictionary level made by hyph_trie_dict (and its next level). */
static void hyph_free_compiled(HyphenDict *d, HyphenTrans **trans,
			       char **text)
{
	for (int k = 0; k < 2 && d; k++) {
		HyphenDict *next = d->nextlevel;
		free(d->states);
		free(d->nohyphen);
		free(d);
		free(trans[k]);
		free(text[k]);
		d = next;
	}
}

/* The character set: the first line of data[0..len), as fgets into
 * cset[MAX_NAME] reads it, without its line end. Returns the length of
 * that line, or SIZE_MAX if it is too long for libhyphen. */
static size_t hyph_charset(const char *data, size_t len, char *cset)
{
	const char *end = strchr(data, '\n');
	size_t l0 = end ? (size_t)(end - data) + 1 : len;
	if (l0 > MAX_NAME - 1)
		return SIZE_MAX;
	memcpy(cset, data, l0);
	cset[l0] = 0;
	for (size_t i = 0; i < MAX_NAME; i++)
		if (cset[i] == '\r' || cset[i] == '\n')
			cset[i] = 0;
	return l0;
}

/* The patterns of [line, end) into t: lines as fgets(buf, MAX_CHARS)
 * gives them (longer lines are skipped, as libhyphen does), comments
 * dropped. Returns 0, or 1 if the file has replacement patterns (for
 * libhyphen's own loader). */
static int hyph_trie_patterns(hyph_trie *t, const char *line, const char *end)
{
	for (const char *nl; line < end; line = nl ? nl + 1 : end) {
		char buf[HYPH_LINE_MAX];
		nl = strchr(line, '\n');
		size_t ll = nl ? (size_t)(nl - line) + 1 : strlen(line);
		if (ll > HYPH_LINE_MAX - 1)
			continue;
		if (memchr(line, '/', ll))
			return 1;
		memcpy(buf, line, ll);
		buf[ll] = 0;
		if (buf[0] != '%')
			hyph_trie_line(t, buf);
	}
	return 0;
}

/* The default compound level hnj_hyphen_load adds (t[1]), with the limits
 * of the file's patterns (t[0]). */
static void hyph_trie_compound(hyph_trie *t, int utf8)
{
	hyph_trie_line(&t[1], utf8 ? "NOHYPHEN ',\xe2\x80\x93,\xe2\x80\x99,-\n"
				   : "NOHYPHEN ',-\n");
	hyph_trie_line(&t[1], "1-1\n");
	hyph_trie_line(&t[1], "1'1\n");
	if (utf8) {
		hyph_trie_line(&t[1], "1\xe2\x80\x93" "1\n");
		hyph_trie_line(&t[1], "1\xe2\x80\x99" "1\n");
	}
	t[1].lhmin = t[0].lhmin;
	t[1].rhmin = t[0].rhmin;
	t[1].clhmin = t[0].clhmin ? t[0].clhmin : t[0].lhmin ? t[0].lhmin : 3;
	t[1].crhmin = t[0].crhmin ? t[0].crhmin : t[0].rhmin ? t[0].rhmin : 3;
}

/* The two levels as libhyphen dictionaries, the compound level first with
 * the patterns as its next level; their blocks go to trans and text.
 * Returns 1 with *out, or -1 when memory runs out. */
static int hyph_trie_dicts(hyph_trie *t, const char *cset, int utf8,
			   HyphenDict **out, HyphenTrans **trans, char **text)
{
	HyphenDict *d1 = hyph_trie_dict(&t[1], cset, utf8, &trans[0]);
	HyphenDict *d0 = d1 ? hyph_trie_dict(&t[0], cset, utf8, &trans[1]) : NULL;
	if (!d0) {
		if (d1) {
			text[0] = t[1].text;
			t[1].text = NULL;
			hyph_free_compiled(d1, trans, text);
		}
		return -1;
	}
	d1->nextlevel = d0;
	text[0] = t[1].text;
	text[1] = t[0].text;
	t[0].text = t[1].text = NULL;
	*out = d1;
	return 1;
}

/* Compile the pattern file at path as hnj_hyphen_load would: returns 1
 * with the dictionary (default compound level first, the file's patterns
 * as its next level), 0 if the file needs libhyphen's own loader, -1 if it
 * cannot be read or memory runs out. */
static int hyph_compile(const char *path, HyphenDict **out,
			HyphenTrans **trans, char **text)
{
	file_bytes f;
	char *data, cset[MAX_NAME] = "";
	size_t len;
	hyph_trie t[2];
	int rc, utf8;

	memset(t, 0, sizeof t);
	if (file_read(path, 64u << 20, &f) != FILE_OK)
		return -1;
	data = (char *)f.data;   /* NUL-terminated */
	len = f.len;
	rc = 0;
	if (memchr(data, 0, len) || strstr(data, "NEXTLEVEL"))
		goto done;
	size_t l0 = hyph_charset(data, len, cset);
	if (l0 == SIZE_MAX)
		goto done;
	utf8 = !strcmp(cset, "UTF-8");
	for (int k = 0; k < 2; k++)
		if (hyph_trie_node(&t[k], 0) != 0)
			goto oom;
	if (hyph_trie_patterns(&t[0], data + l0, data + len))
		goto free_tries;   /* replacement patterns: libhyphen's job */
	hyph_trie_compound(t, utf8);
	if (t[0].oom || t[1].oom)
		goto oom;
	rc = hyph_trie_dicts(t, cset, utf8, out, trans, text);
	goto free_tries;
oom:
	rc = -1;
free_tries:
	hyph_trie_free(&t[0]);
	hyph_trie_free(&t[1]);
done:
	file_release(&f);
	return rc;
}

static hyph *hyph_open_with(const char *dic_path, int compile)
{
	hyph *h = hyph_new();
	if (!h)
		return NULL;
	int c = compile ? hyph_compile(dic_path, &h->dict, h->trans, h->text)
			: 0;
	if (c == 1)
		h->compiled = 1;
	else if (c == 0)
		h->dict = hnj_hyphen_load(dic_path);
	if (!h->dict) {
		hyph_close(h);
		return NULL;
	}
	return h;
}

hyph *hyph_open(const char *dic_path)
{
	return hyph_open_with(dic_path, 1);
}

hyph *hyph_open_libhyphen(const char *dic_path)
{
	return hyph_open_with(dic_path, 0);
}

static void hyph_free_entry(void *entry, void *ctx)
{
	(void)ctx;
	free(entry);
}

/* ---- the automaton as an image (compiled into the program) ---------- */

/* The length of a nohyphen list: nohyphenl + 1 strings, each ended by a
 * NUL. */
static size_t hyph_nohyphen_len(const HyphenDict *d)
{
	size_t n = 0;
	for (int k = 0; d->nohyphen && k <= d->nohyphenl; k++)
		n += strlen(d->nohyphen + n) + 1;
	return n;
}

/* text[0..n) as a C string literal, in lines. */
static void hyph_c_string(FILE *out, const char *text, size_t n)
{
	fputs("\t\"", out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '?')
			fputc(c, out);
		else
			fprintf(out, "\\%03o", c);
		if (i % 64 == 63)
			fputs("\"\n\t\"", out);
	}
	fputs("\"", out);
}

/* One level's arrays (suffix k) and its text. */
static void hyph_c_level(FILE *out, const HyphenDict *d, int k,
			 const HyphenTrans *trans, const char *text,
			 size_t tlen)
{
	fprintf(out, "static const int32_t states%d[] = {\n", k);
	for (int i = 0; i < d->num_states; i++) {
		const HyphenState *st = &d->states[i];
		fprintf(out, "%ld,%d,%d,%ld,%s",
			st->match ? (long)(st->match - text) : -1L,
			st->fallback_state, st->num_trans,
			st->trans ? (long)(st->trans - trans) : 0L,
			i % 8 == 7 ? "\n" : "");
	}
	fprintf(out, "};\nstatic const HyphenTrans trans%d[] = {\n", k);
	int ntrans = 0;
	for (int i = 0; i < d->num_states; i++)
		ntrans += d->states[i].num_trans;
	for (int i = 0; i < ntrans; i++)
		fprintf(out, "{%d,%d},%s", trans[i].ch, trans[i].new_state,
			i % 8 == 7 ? "\n" : "");
	if (!ntrans)
		fputs("{0,0}", out);
	fprintf(out, "};\nstatic const char text%d[] =\n", k);
	size_t nl = hyph_nohyphen_len(d);
	char *all = malloc(tlen + nl + 1);
	if (!all)
		return;
	if (tlen)
		memcpy(all, text, tlen);
	if (nl)
		memcpy(all + tlen, d->nohyphen, nl);
	hyph_c_string(out, all, tlen + nl);
	fputs(";\n", out);
	free(all);
}

/* The bytes of the text blocks hyph_trie_dict made (match strings end in
 * NUL; the last one ends the block). */
static size_t hyph_text_len(const HyphenDict *d, const char *text)
{
	size_t end = 0;
	for (int i = 0; i < d->num_states; i++) {
		const char *m = d->states[i].match;
		if (m && (size_t)(m - text) + strlen(m) + 1 > end)
			end = (size_t)(m - text) + strlen(m) + 1;
	}
	return end;
}

int hyph_write_image(const hyph *h, const unsigned char *src, size_t len,
		     const char *name, FILE *out)
{
	if (!h || h->compiled != 1)
		return -1;
	const HyphenDict *lv[2] = {h->dict, h->dict->nextlevel};
	size_t tlen[2];
	fputs("/* generated by builder/tools/hyphgen.c: a compiled pattern file "
	      "(typeset/hyph.h) */\n#include <stdint.h>\n#include <hyphen.h>\n"
	      "#include \"typeset/hyph.h\"\n", out);
	for (int k = 0; k < 2; k++) {
		tlen[k] = hyph_text_len(lv[k], h->text[k]);
		hyph_c_level(out, lv[k], k, h->trans[k], h->text[k], tlen[k]);
	}
	fputs("static const unsigned char source[] = {\n", out);
	for (size_t i = 0; i < len; i++)
		fprintf(out, "%u,%s", src[i], i % 24 == 23 ? "\n" : "");
	fprintf(out, "0};\nconst hyph_image %s = {\n\tsource, %zu, \"%s\", %d,\n"
		"\t{\n", name, len, lv[0]->cset, lv[0]->utf8);
	for (int k = 0; k < 2; k++) {
		const HyphenDict *d = lv[k];
		fprintf(out, "\t\t{%d, %d, %d, %d, %ld, %d, %d, states%d, "
			"trans%d, text%d},\n", d->lhmin, d->rhmin, d->clhmin,
			d->crhmin, d->nohyphen ? (long)tlen[k] : -1L,
			d->nohyphenl, d->num_states, k, k, k);
	}
	fputs("\t}\n};\n", out);
	return ferror(out) ? -1 : 0;
}

/* One level of img as a libhyphen dictionary: its own states, pointing
 * into img's transitions and text (never freed). NULL out of memory. */
static HyphenDict *hyph_image_dict(const hyph_image *img, int k)
{
	const hyph_image_level *L = &img->level[k];
	HyphenDict *d = calloc(1, sizeof *d);
	HyphenState *st = calloc((size_t)(L->nstates ? L->nstates : 1),
				 sizeof *st);
	if (!d || !st) {
		free(d);
		free(st);
		return NULL;
	}
	const HyphenTrans *tr = L->trans;
	for (int i = 0; i < L->nstates; i++) {
		const int32_t *v = L->states + 4 * i;
		st[i].match = v[0] >= 0 ? (char *)L->text + v[0] : NULL;
		st[i].fallback_state = v[1];
		st[i].num_trans = v[2];
		st[i].trans = v[2] ? (HyphenTrans *)(tr + v[3]) : NULL;
	}
	d->lhmin = L->lhmin;
	d->rhmin = L->rhmin;
	d->clhmin = L->clhmin;
	d->crhmin = L->crhmin;
	d->nohyphen = L->nohyphen >= 0 ? (char *)L->text + L->nohyphen : NULL;
	d->nohyphenl = L->nohyphenl;
	d->num_states = L->nstates;
	snprintf(d->cset, sizeof d->cset, "%s", img->cset);
	d->utf8 = img->utf8;
	d->states = st;
	return d;
}

static void hyph_free_image_dicts(HyphenDict *d)
{
	while (d) {
		HyphenDict *next = d->nextlevel;
		free(d->states);
		free(d);
		d = next;
	}
}

hyph *hyph_open_image(const char *dic_path, const hyph_image *img)
{
	if (!img || !img->source || !dic_path)
		return NULL;
	file_bytes f;
	if (file_read(dic_path, img->source_len + 1, &f) != FILE_OK)
		return NULL;
	int same = f.len == img->source_len &&
		   !memcmp(f.data, img->source, f.len);
	file_release(&f);
	if (!same)
		return NULL;
	hyph *h = hyph_new();
	HyphenDict *d1 = h ? hyph_image_dict(img, 0) : NULL;
	HyphenDict *d0 = d1 ? hyph_image_dict(img, 1) : NULL;
	if (!d0) {
		hyph_free_image_dicts(d1);
		hyph_close(h);
		return NULL;
	}
	d1->nextlevel = d0;
	h->dict = d1;
	h->compiled = 2;
	return h;
}

void hyph_close(hyph *h)
{
	if (!h)
		return;
	if (h->compiled == 2)
		hyph_free_image_dicts(h->dict);
	else if (h->compiled)
		hyph_free_compiled(h->dict, h->trans, h->text);
	else if (h->dict)
		hnj_hyphen_free(h->dict);
	hmap_each(&h->cache, hyph_free_entry, NULL);
	hmap_free(&h->cache);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

/* Punctuation stripped from either end of a word. */
static int hyph_is_wrap(uint32_t c)
{
	switch (c) {
	case '"': case '\'': case '(': case ')': case '[': case ']':
	case ',': case '.': case ';': case ':': case '!': case '?':
	case 0x2018: case 0x2019: case 0x201C: case 0x201D:
	case 0x00AB: case 0x00BB: case 0x00AD: case '*':
		return 1;
	default:
		return 0;
	}
}

/* Letters are what libhyphen sees; anything else splits the word. */
static int hyph_is_letter(uint32_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return 1;
	if (c < 0xC0 || c == 0xD7 || c == 0xF7)
		return 0;
	if (c >= 0x2000 && c <= 0x2BFF)     /* punctuation, symbols */
		return 0;
	if (c == 0xFFFD || c == 0x2E3A || c == 0x2E3B)
		return 0;
	return 1;
}

/* Lowercase for ASCII, Latin-1 and Latin Extended-A. */
static uint32_t hyph_lower(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
		return (c & 1) ? c : c + 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1) ? c + 1 : c;
	if (c == 0x178)
		return 0xFF;
	return c;
}

/* Hyphenate one run of letters: buf holds nchars lowercased characters in
 * blen bytes, at[i] the original byte offset of character i. Appends the
 * offsets to pts. */
static void hyph_run(hyph *h, const char *buf, size_t blen, const size_t *at,
		     size_t nchars, size_t *pts, size_t *np)
{
	if (nchars < HYPH_LMIN + HYPH_RMIN)
		return;
	char hy[HYPH_MAX_WORD * 4 + 8];
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	memset(hy, 0, sizeof hy);
	int bad = hnj_hyphen_hyphenate2(h->dict, buf, (int)blen, hy, NULL, &rep,
					&pos, &cut);
	if (rep) {
		for (size_t i = 0; i < blen; i++)
			free(rep[i]);
		free(rep);
	}
	free(pos);
	free(cut);
	if (bad)
		return;
	/* hy[i] & 1: a break after character i (one entry per character) */
	for (size_t i = HYPH_LMIN - 1; i + HYPH_RMIN < nchars; i++)
		if ((hy[i] & 1) && *np < HYPH_MAX_PTS)
			pts[(*np)++] = at[i + 1];
}

/* The uncached computation. Returns the count of offsets in pts. */
static size_t hyph_compute(hyph *h, const char *word, size_t len, size_t *pts)
{
	size_t np = 0, b = 0, e = len, used;
	/* strip wrapping punctuation */
	while (b < e) {
		uint32_t c = utf8_decode(word + b, e - b, &used);
		if (!hyph_is_wrap(c))
			break;
		b += used;
	}
	while (e > b) {
		size_t k = e - 1;
		while (k > b && ((unsigned char)word[k] & 0xC0) == 0x80)
			k--;
		uint32_t c = utf8_decode(word + k, e - k, &used);
		if (k + used != e || !hyph_is_wrap(c))
			break;
		e = k;
	}
	if (e - b > HYPH_MAX_WORD)
		return 0;
	size_t letters = 0;
	for (size_t i = b; i < e; i += used) {
		uint32_t c = utf8_decode(word + i, e - i, &used);
		if ((c >= '0' && c <= '9') || c == '/' || c == '@')
			return 0;
		letters += hyph_is_letter(c);
	}
	if (letters < HYPH_MIN_LETTERS)
		return 0;
	char buf[HYPH_MAX_WORD * 4 + 8];
	size_t at[HYPH_MAX_WORD + 1];
	size_t blen = 0, nchars = 0;
	for (size_t i = b; i <= e; i += used) {
		uint32_t c = 0;
		used = 1;
		if (i < e)
			c = utf8_decode(word + i, e - i, &used);
		if (i < e && c == 0x00AD)   /* soft hyphen: invisible to patterns */
			continue;
		if (i < e && hyph_is_letter(c)) {
			at[nchars++] = i;
			blen += utf8_encode(hyph_lower(c), buf + blen);
			continue;
		}
		buf[blen] = '\0';
		hyph_run(h, buf, blen, at, nchars, pts, &np);
		blen = nchars = 0;
	}
	return np;
}

typedef struct hyph_key {
	const char *word;
	size_t len;
} hyph_key;

static int hyph_entry_eq(const void *entry, const void *key)
{
	const hyph_entry *e = entry;
	const hyph_key *k = key;
	return e->len == k->len && !memcmp(e->word, k->word, k->len);
}

/* Remember word's np breaks pts (up to HYPH_CACHE_MAX words; a failure
 * to remember only costs time). Under h->lock; a word another thread
 * remembered meanwhile is kept once. */
static void hyph_remember(hyph *h, uint64_t hash, const char *word,
			  size_t len, const size_t *pts, size_t np)
{
	hyph_key key = {word, len};
	if (h->cache.n >= HYPH_CACHE_MAX ||
	    hmap_get(&h->cache, hash, hyph_entry_eq, &key))
		return;
	hyph_entry *e = malloc(sizeof *e + len + np * sizeof *e->pts + 2);
	if (!e)
		return;
	e->len = len;
	e->npts = (uint16_t)np;
	memcpy(e->word, word, len);
	/* the points after the word, aligned */
	e->pts = (uint16_t *)(void *)(e->word + len + (len & 1));
	for (size_t i = 0; i < np; i++)
		e->pts[i] = (uint16_t)pts[i];
	if (hmap_put(&h->cache, hash, e))
		free(e);
}

size_t hyph_points(hyph *h, const char *word, size_t len, size_t *offsets,
		   size_t max)
{
	if (!h || !word || len < HYPH_MIN_LETTERS || len > HYPH_MAX_WORD * 8)
		return 0;
	hyph_key key = {word, len};
	uint64_t hash = hash_bytes(HASH_SEED, word, len);
	size_t pts[HYPH_MAX_PTS], np, n;
	pthread_mutex_lock(&h->lock);
	const hyph_entry *e = hmap_get(&h->cache, hash, hyph_entry_eq, &key);
	if (e) {
		np = e->npts;
		for (size_t i = 0; i < np; i++)
			pts[i] = e->pts[i];
	}
	pthread_mutex_unlock(&h->lock);
	if (!e) {
		np = hyph_compute(h, word, len, pts);
		pthread_mutex_lock(&h->lock);
		hyph_remember(h, hash, word, len, pts, np);
		pthread_mutex_unlock(&h->lock);
	}
	n = np < max ? np : max;
	for (size_t i = 0; i < n; i++)
		offsets[i] = pts[i];
	return n;
}
