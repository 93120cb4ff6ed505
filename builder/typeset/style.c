/* style.c - reading style files: "key = value" lines, # comments, lengths
 * with units (pt, mm, in), colours #rrggbb, numbers, integers, strings and
 * font files. One table maps every key to its field; the table says which
 * keys are optional. No default values live here. */
#include "typeset/style.h"


#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "doc/check.h"

typedef enum { ST_LEN, ST_NUM, ST_INT, ST_COLOR, ST_STR, ST_FONT, ST_PATH,
	       ST_BOOL } style_kind;

typedef struct style_key {
	const char *name;
	style_kind kind;
	size_t offset;
	int optional;
} style_key;

#define K(name, kind, field) { name, kind, offsetof(style, field), 0 }
#define KOPT(name, kind, field) { name, kind, offsetof(style, field), 1 }

static const style_key style_keys[] = {
	K("page-width", ST_LEN, page_width),
	K("page-height", ST_LEN, page_height),
	K("margin-top", ST_LEN, margin_top),
	K("margin-bottom", ST_LEN, margin_bottom),
	K("margin-inner", ST_LEN, margin_inner),
	K("margin-outer", ST_LEN, margin_outer),
	K("font-regular", ST_FONT, font_regular),
	K("font-italic", ST_FONT, font_italic),
	K("font-bold", ST_FONT, font_bold),
	K("font-bold-italic", ST_FONT, font_bold_italic),
	KOPT("font-heading", ST_FONT, font_heading),
	KOPT("hyphenation", ST_PATH, hyphenation),
	K("body-size", ST_LEN, body_size),
	K("body-leading", ST_LEN, body_leading),
	K("paragraph-indent", ST_LEN, para_indent),
	K("paragraph-space", ST_LEN, para_space),
	K("space-stretch", ST_NUM, space_stretch),
	K("space-shrink", ST_NUM, space_shrink),
	KOPT("ragged-stretch", ST_NUM, ragged_stretch),
	K("part-size", ST_LEN, part.size),
	K("part-leading", ST_LEN, part.leading),
	K("part-above", ST_LEN, part.above),
	K("part-below", ST_LEN, part.below),
	K("h1-size", ST_LEN, h1.size),
	K("h1-leading", ST_LEN, h1.leading),
	K("h1-above", ST_LEN, h1.above),
	K("h1-below", ST_LEN, h1.below),
	K("h2-size", ST_LEN, h2.size),
	K("h2-leading", ST_LEN, h2.leading),
	K("h2-above", ST_LEN, h2.above),
	K("h2-below", ST_LEN, h2.below),
	K("list-indent", ST_LEN, list_indent),
	K("list-number-gap", ST_LEN, list_number_gap),
	K("list-item-space", ST_LEN, list_item_space),
	K("list-bullet", ST_STR, list_bullet),
	K("keep-item-lines", ST_INT, keep_item_lines),
	K("quote-indent", ST_LEN, quote_indent),
	K("quote-rule-width", ST_LEN, quote_rule_width),
	K("quote-rule-gap", ST_LEN, quote_rule_gap),
	K("quote-size", ST_LEN, quote_size),
	K("quote-leading", ST_LEN, quote_leading),
	K("quote-above", ST_LEN, quote_above),
	K("quote-below", ST_LEN, quote_below),
	K("quote-title-size", ST_LEN, quote_title_size),
	K("quote-rule-color", ST_COLOR, quote_rule_color),
	K("quote-color", ST_COLOR, quote_color),
	K("bib-indent", ST_LEN, bib_indent),
	K("bib-size", ST_LEN, bib_size),
	K("bib-leading", ST_LEN, bib_leading),
	K("bib-space", ST_LEN, bib_space),
	KOPT("bib-ragged", ST_BOOL, bib_ragged),
	K("footer-size", ST_LEN, footer_size),
	K("footer-baseline", ST_LEN, footer_baseline),
	K("footer-outer", ST_BOOL, footer_outer),
	K("header-size", ST_LEN, header_size),
	K("header-baseline", ST_LEN, header_baseline),
	K("header-color", ST_COLOR, header_color),
	K("text-color", ST_COLOR, text_color),
	K("heading-color", ST_COLOR, heading_color),
	K("link-color", ST_COLOR, link_color),
	K("cover-top", ST_LEN, cover_top),
	K("cover-title-size", ST_LEN, cover_title_size),
	K("cover-title-leading", ST_LEN, cover_title_leading),
	K("cover-standfirst-size", ST_LEN, cover_standfirst_size),
	K("cover-standfirst-leading", ST_LEN, cover_standfirst_leading),
	K("cover-author-size", ST_LEN, cover_author_size),
	K("cover-gap", ST_LEN, cover_gap),
	K("contents-title", ST_STR, contents_title),
	K("contents-size", ST_LEN, contents_size),
	K("contents-leading", ST_LEN, contents_leading),
	K("contents-indent", ST_LEN, contents_indent),
	K("contents-number-width", ST_LEN, contents_number_width),
	K("contents-part-above", ST_LEN, contents_part_above),
	K("back-size", ST_LEN, back_size),
	K("back-leading", ST_LEN, back_leading),
	K("back-support-label", ST_STR, back_support_label),
	K("back-reviewed-label", ST_STR, back_reviewed_label),
	K("tolerance", ST_NUM, tolerance),
	K("line-penalty", ST_INT, line_penalty),
	K("hyphen-penalty", ST_INT, hyphen_penalty),
	K("dash-penalty", ST_INT, dash_penalty),
	K("url-penalty", ST_INT, url_penalty),
	K("flagged-demerits", ST_INT, flagged_demerits),
	K("fitness-demerits", ST_INT, fitness_demerits),
	K("max-hyphens", ST_INT, max_hyphens),
	K("widow-lines", ST_INT, widow_lines),
	K("orphan-lines", ST_INT, orphan_lines),
	K("heading-keep-lines", ST_INT, heading_keep_lines),
	KOPT("print-creep", ST_LEN, print_creep),
	KOPT("print-sheet", ST_STR, print_sheet),
	KOPT("print-crop-marks", ST_BOOL, print_crop_marks),
	KOPT("print-bleed", ST_LEN, print_bleed),
	KOPT("print-test-sheet", ST_BOOL, print_test_sheet),
};

#define STYLE_NKEYS (sizeof style_keys / sizeof style_keys[0])

/* Parse a decimal number filling all of s; 0 on success. */
static int style_number(const char *s, size_t len, double *out)
{
	char tmp[64], *end;
	if (len == 0 || len >= sizeof tmp)
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = 0;
	if (!(isdigit((unsigned char)tmp[0]) || tmp[0] == '.' ||
	      tmp[0] == '-' || tmp[0] == '+'))
		return -1;
	errno = 0;
	double v = strtod(tmp, &end);
	if (errno || *end || end == tmp || v != v)
		return -1;
	*out = v;
	return 0;
}

int style_parse_length(const char *s, double *out)
{
	size_t len = strlen(s);
	double v, scale;
	if (len < 3)
		return -1;
	const char *u = s + len - 2;
	if (!strcmp(u, "pt"))
		scale = 1.0;
	else if (!strcmp(u, "mm"))
		scale = 72.0 / 25.4;
	else if (!strcmp(u, "in"))
		scale = 72.0;
	else
		return -1;
	if (style_number(s, len - 2, &v) || v < 0)
		return -1;
	*out = v * scale;
	return 0;
}

static int style_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "#rrggbb" into components 0..1; 0 on success. */
static int style_color(const char *s, paint *c)
{
	double v[3];
	if (strlen(s) != 7 || s[0] != '#')
		return -1;
	for (int i = 0; i < 3; i++) {
		int hi = style_hex((unsigned char)s[1 + 2 * i]);
		int lo = style_hex((unsigned char)s[2 + 2 * i]);
		if (hi < 0 || lo < 0)
			return -1;
		v[i] = (hi * 16 + lo) / 255.0;
	}
	c->r = v[0];
	c->g = v[1];
	c->b = v[2];
	return 0;
}

/* Store value for key k into st; returns an error message or NULL. */
static const char *style_set(style *st, const style_key *k, const char *v,
			     const char *fonts_dir, arena *a)
{
	char *field = (char *)st + k->offset;
	double num;
	switch (k->kind) {
	case ST_LEN:
		if (style_parse_length(v, &num))
			return "expected a length such as 10pt, 12mm or 0.5in";
		*(double *)field = num;
		return NULL;
	case ST_NUM:
		if (style_number(v, strlen(v), &num) || num < 0)
			return "expected a non-negative number";
		*(double *)field = num;
		return NULL;
	case ST_INT: {
		char *end;
		errno = 0;
		long l = strtol(v, &end, 10);
		if (errno || *end || end == v || l < -1000000 || l > 1000000)
			return "expected an integer";
		*(int *)field = (int)l;
		return NULL;
	}
	case ST_BOOL:
		if (!strcmp(v, "yes") || !strcmp(v, "true"))
			*(int *)field = 1;
		else if (!strcmp(v, "no") || !strcmp(v, "false"))
			*(int *)field = 0;
		else
			return "expected yes or no";
		return NULL;
	case ST_COLOR:
		if (style_color(v, (paint *)field))
			return "expected a colour #rrggbb";
		return NULL;
	case ST_STR:
		*(const char **)field = arena_strdup(a, v);
		return NULL;
	case ST_FONT:
		if (v[0] == '/' || !fonts_dir || !*fonts_dir)
			*(const char **)field = arena_strdup(a, v);
		else
			*(const char **)field =
				arena_printf(a, "%s/%s", fonts_dir, v);
		return NULL;
	case ST_PATH:
		*(const char **)field = arena_strdup(a, v);
		return NULL;
	}
	return "internal: unknown key kind";
}

/* Strip leading and trailing blanks in place; returns the start. */
static char *style_trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = 0;
	return s;
}

style *style_parse(const char *text, size_t len, const char *path,
		   const char *fonts_dir, arena *a, diag_list *d)
{
	style *st = arena_alloc(a, sizeof *st);
	unsigned char seen[STYLE_NKEYS];
	size_t errors0 = d->errors;
	memset(seen, 0, sizeof seen);
	st->path = arena_strdup(a, path);
	size_t pos = 0;
	int line = 0;
	while (pos < len) {
		size_t e = pos;
		while (e < len && text[e] != '\n')
			e++;
		line++;
		char *l = arena_strndup(a, text + pos, e - pos);
		pos = e + 1;
		/* '#' starts a comment at the start of a line or after a blank,
		 * except as the first character of a value (a colour) */
		for (char *c = l; *c; c++) {
			if (*c != '#')
				continue;
			char *p = c;
			while (p > l && (p[-1] == ' ' || p[-1] == '\t'))
				p--;
			if (p > l && p[-1] == '=')
				continue;
			if (c == l || c[-1] == ' ' || c[-1] == '\t') {
				*c = 0;
				break;
			}
		}
		char *s = style_trim(l);
		if (!*s)
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			diag_add(d, DIAG_ERROR, path, line, 0,
				 "expected \"key = value\"");
			continue;
		}
		*eq = 0;
		char *key = style_trim(s), *val = style_trim(eq + 1);
		size_t i;
		for (i = 0; i < STYLE_NKEYS; i++)
			if (!strcmp(style_keys[i].name, key))
				break;
		if (i == STYLE_NKEYS) {
			/* "did you mean": the one known key within two edits */
			const char *near = NULL;
			int best = 3;
			for (size_t k = 0; k < STYLE_NKEYS; k++) {
				int e = check_edit_distance(key, style_keys[k].name, 2);
				if (e < best)
					best = e, near = style_keys[k].name;
			}
			diag_add(d, DIAG_ERROR, path, line, (int)(key - l) + 1,
				 "unknown style key '%s'%s%s%s", key,
				 near ? "; did you mean '" : "", near ? near : "",
				 near ? "'?" : "");
			continue;
		}
		if (!*val) {
			diag_add(d, DIAG_ERROR, path, line, 0,
				 "'%s' has no value", key);
			continue;
		}
		if (seen[i])
			diag_add(d, DIAG_ERROR, path, line, 0,
				 "'%s' is set twice", key);
		seen[i] = 1;
		const char *msg = style_set(st, &style_keys[i], val, fonts_dir, a);
		if (msg)
			diag_add(d, DIAG_ERROR, path, line, 0, "%s: %s", key, msg);
	}
	for (size_t i = 0; i < STYLE_NKEYS; i++)
		if (!seen[i] && !style_keys[i].optional)
			diag_add(d, DIAG_ERROR, path, 0, 0,
				 "required key '%s' is missing",
				 style_keys[i].name);
	if (!st->hyphenation)
		st->hyphenation = "/usr/share/hyphen/hyph_en_GB.dic";
	if (d->errors == errors0) {
		if (st->page_width <= st->margin_inner + st->margin_outer ||
		    st->page_height <= st->margin_top + st->margin_bottom)
			diag_add(d, DIAG_ERROR, path, 1, 0,
				 "the margins leave no room for text");
		if (st->body_size <= 0 || st->body_leading <= 0)
			diag_add(d, DIAG_ERROR, path, 1, 0,
				 "body-size and body-leading must be positive");
		if (st->bib_ragged && !(st->ragged_stretch > 0))
			diag_add(d, DIAG_ERROR, path, 1, 0,
				 "bib-ragged needs ragged-stretch (ems of "
				 "notional stretch per space, e.g. 0.5)");
	}
	return d->errors == errors0 ? st : NULL;
}

style *style_load(const char *path, const char *fonts_dir, arena *a,
		  diag_list *d)
{
	const size_t max = 1024 * 1024;   /* a style file is ~200 lines */
	file_bytes f;
	file_status fs = file_read(path, max, &f);
	if (fs != FILE_OK) {
		file_report(d, path, "style", fs, &f, max);
		return NULL;
	}
	style *st = style_parse((const char *)f.data, f.len, path, fonts_dir,
				a, d);
	file_release(&f);
	double w, h;
	if (st && st->print_sheet && style_sheet_size(st->print_sheet, &w, &h)) {
		diag_add(d, DIAG_ERROR, path, 0, 0,
			 "print-sheet must be a4 or letter, not '%s'",
			 st->print_sheet);
		return NULL;
	}
	return st;
}

/* Paper sizes (ISO 216 and US Letter), landscape, in pt. */
static const struct {
	const char *name;
	double w, h;
} style_sheets[] = {
	{"a4", 297.0 * 72.0 / 25.4, 210.0 * 72.0 / 25.4},
	{"letter", 11.0 * 72.0, 8.5 * 72.0},
};

int style_sheet_size(const char *name, double *w, double *h)
{
	for (size_t i = 0; i < sizeof style_sheets / sizeof style_sheets[0]; i++)
		if (name && !strcmp(name, style_sheets[i].name)) {
			*w = style_sheets[i].w;
			*h = style_sheets[i].h;
			return 0;
		}
	return -1;
}
