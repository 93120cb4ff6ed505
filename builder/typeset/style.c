/* style.c - reading style files: "key = value" lines, # comments, lengths
 * with units (pt, mm, in), colours #rrggbb, numbers, integers, strings and
 * font files. One table maps every key to its field; the table says which
 * keys are optional. No default values live here. */
#include "typeset/style.h"


#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "doc/check.h"

typedef enum { ST_LEN, ST_NUM, ST_INT, ST_COLOR, ST_INK, ST_STR, ST_FONT,
	       ST_PATH, ST_BOOL, ST_SPACE, ST_HEAD, ST_ADDR } style_kind;

/* The values a number may take (lengths in pt), and how to say so. */
typedef struct style_range {
	double min, max;
	const char *text;
} style_range;

#define MM (72.0 / 25.4)
/* A page up to 5 m: with bleed and crop marks added it stays within the
 * 200 in (14,400 pt) a PDF page may be. */
static const style_range R_PAGE = {72, 5000 * MM, "from 1in to 5000mm"};
static const style_range R_SPACE = {0, 5000 * MM, "from 0 to 5000mm"};
static const style_range R_SIZE = {1, 500, "from 1pt to 500pt"};
static const style_range R_LEADING = {1, 1000, "from 1pt to 1000pt"};
static const style_range R_RULE = {0, 72, "from 0 to 72pt"};
static const style_range R_CREEP = {0, 5 * MM, "from 0 to 5mm"};
static const style_range R_BLEED = {0, 10 * MM, "from 0 to 10mm"};
static const style_range R_STRETCH = {0, 10, "from 0 to 10"};
static const style_range R_SHRINK = {0, 1, "from 0 to 1"};
static const style_range R_TOLERANCE = {0, 100, "from 0 to 100"};
static const style_range R_PENALTY = {-10000, 10000, "from -10000 to 10000"};
static const style_range R_LINEPEN = {0, 10000, "from 0 to 10000"};
static const style_range R_DEMERITS = {0, 1000000, "from 0 to 1000000"};
static const style_range R_LINES = {0, 100, "from 0 to 100"};
static const style_range R_ITEM_LINES = {0, 1000, "from 0 to 1000"};
static const style_range R_EXPANSION = {0, 0.05, "from 0 to 0.05"};
static const style_range R_PROTRUSION = {0, 1, "from 0 to 1"};
static const style_range R_EMERGENCY = {0, 100, "from 0 to 100pt"};
static const style_range R_MULTIPLE = {1, 64, "from 1 to 64"};
static const style_range R_FILL = {0, 1, "from 0 to 1"};
static const style_range R_PPI = {72, 2400, "from 72 to 2400"};
static const style_range R_SCALE = {0.5, 1, "from 0.5 to 1"};

typedef struct style_key {
	const char *name;
	style_kind kind;
	size_t offset;
	int optional;
	const style_range *range;   /* ST_LEN, ST_NUM, ST_INT */
} style_key;

#define K(name, kind, field, r) { name, kind, offsetof(style, field), 0, r }
#define KOPT(name, kind, field, r) { name, kind, offsetof(style, field), 1, r }

static const style_key style_keys[] = {
	K("page-width", ST_LEN, page_width, &R_PAGE),
	K("page-height", ST_LEN, page_height, &R_PAGE),
	K("margin-top", ST_LEN, margin_top, &R_SPACE),
	K("margin-bottom", ST_LEN, margin_bottom, &R_SPACE),
	K("margin-inner", ST_LEN, margin_inner, &R_SPACE),
	K("margin-outer", ST_LEN, margin_outer, &R_SPACE),
	K("font-regular", ST_FONT, font_regular, NULL),
	K("font-italic", ST_FONT, font_italic, NULL),
	K("font-bold", ST_FONT, font_bold, NULL),
	K("font-bold-italic", ST_FONT, font_bold_italic, NULL),
	KOPT("font-heading", ST_FONT, font_heading, NULL),
	KOPT("hyphenation", ST_PATH, hyphenation, NULL),
	K("ligatures", ST_BOOL, ligatures, NULL),
	K("kerning", ST_BOOL, kerning, NULL),
	K("body-size", ST_LEN, body_size, &R_SIZE),
	K("body-leading", ST_LEN, body_leading, &R_LEADING),
	K("paragraph-indent", ST_LEN, para_indent, &R_SPACE),
	K("paragraph-space", ST_SPACE, para_space, &R_SPACE),
	K("space-stretch", ST_NUM, space_stretch, &R_STRETCH),
	K("space-shrink", ST_NUM, space_shrink, &R_SHRINK),
	KOPT("ragged-stretch", ST_NUM, ragged_stretch, &R_STRETCH),
	K("part-size", ST_LEN, part.size, &R_SIZE),
	K("part-leading", ST_LEN, part.leading, &R_LEADING),
	K("part-above", ST_SPACE, part.above, &R_SPACE),
	K("part-below", ST_SPACE, part.below, &R_SPACE),
	K("h1-size", ST_LEN, h1.size, &R_SIZE),
	K("h1-leading", ST_LEN, h1.leading, &R_LEADING),
	K("h1-above", ST_SPACE, h1.above, &R_SPACE),
	K("h1-below", ST_SPACE, h1.below, &R_SPACE),
	K("h2-size", ST_LEN, h2.size, &R_SIZE),
	K("h2-leading", ST_LEN, h2.leading, &R_LEADING),
	K("h2-above", ST_SPACE, h2.above, &R_SPACE),
	K("h2-below", ST_SPACE, h2.below, &R_SPACE),
	K("list-indent", ST_LEN, list_indent, &R_SPACE),
	K("list-number-gap", ST_LEN, list_number_gap, &R_SPACE),
	K("list-item-space", ST_SPACE, list_item_space, &R_SPACE),
	K("list-bullet", ST_STR, list_bullet, NULL),
	K("keep-item-lines", ST_INT, keep_item_lines, &R_ITEM_LINES),
	K("item-split-penalty", ST_INT, item_split_penalty, &R_PENALTY),
	K("quote-indent", ST_LEN, quote_indent, &R_SPACE),
	K("quote-rule-width", ST_LEN, quote_rule_width, &R_RULE),
	K("quote-rule-gap", ST_LEN, quote_rule_gap, &R_SPACE),
	K("quote-size", ST_LEN, quote_size, &R_SIZE),
	K("quote-leading", ST_LEN, quote_leading, &R_LEADING),
	K("quote-above", ST_SPACE, quote_above, &R_SPACE),
	K("quote-below", ST_SPACE, quote_below, &R_SPACE),
	K("quote-title-size", ST_LEN, quote_title_size, &R_SIZE),
	K("quote-rule-color", ST_COLOR, quote_rule_color, NULL),
	KOPT("quote-rule-color-cmyk", ST_INK, quote_rule_ink, NULL),
	K("quote-color", ST_COLOR, quote_color, NULL),
	KOPT("quote-color-cmyk", ST_INK, quote_ink, NULL),
	K("bib-indent", ST_LEN, bib_indent, &R_SPACE),
	K("bib-size", ST_LEN, bib_size, &R_SIZE),
	K("bib-leading", ST_LEN, bib_leading, &R_LEADING),
	K("bib-space", ST_SPACE, bib_space, &R_SPACE),
	KOPT("bib-ragged", ST_BOOL, bib_ragged, NULL),
	KOPT("epub-fonts", ST_BOOL, epub_fonts, NULL),
	K("footer-size", ST_LEN, footer_size, &R_SIZE),
	K("footer-baseline", ST_LEN, footer_baseline, &R_SPACE),
	K("footer-outer", ST_BOOL, footer_outer, NULL),
	K("header-size", ST_LEN, header_size, &R_SIZE),
	K("header-baseline", ST_LEN, header_baseline, &R_SPACE),
	K("header-color", ST_COLOR, header_color, NULL),
	KOPT("header-color-cmyk", ST_INK, header_ink, NULL),
	K("running-head-left", ST_HEAD, head_left, NULL),
	K("running-head-right", ST_HEAD, head_right, NULL),
	K("text-color", ST_COLOR, text_color, NULL),
	KOPT("text-color-cmyk", ST_INK, text_ink, NULL),
	K("heading-color", ST_COLOR, heading_color, NULL),
	KOPT("heading-color-cmyk", ST_INK, heading_ink, NULL),
	K("link-color", ST_COLOR, link_color, NULL),
	KOPT("link-color-cmyk", ST_INK, link_ink, NULL),
	K("print-link-color", ST_COLOR, print_link_color, NULL),
	KOPT("print-link-color-cmyk", ST_INK, print_link_ink, NULL),
	K("link-address", ST_ADDR, link_address, NULL),
	K("link-address-scale", ST_NUM, link_address_scale, &R_SCALE),
	KOPT("link-notes-title", ST_STR, link_notes_title, NULL),
	K("facing-pages", ST_BOOL, facing_pages, NULL),
	K("cover-page", ST_BOOL, cover_page, NULL),
	K("contents-page", ST_BOOL, contents_page, NULL),
	K("back-cover", ST_BOOL, back_cover, NULL),
	K("part-new-page", ST_BOOL, part_new_page, NULL),
	K("short-page-before-part", ST_BOOL, part_short_page, NULL),
	K("page-multiple", ST_INT, page_multiple, &R_MULTIPLE),
	K("notes-page", ST_BOOL, notes_page, NULL),
	KOPT("notes-title", ST_STR, notes_title, NULL),
	KOPT("notes-rule-gap", ST_LEN, notes_rule_gap, &R_SPACE),
	KOPT("notes-rule-width", ST_LEN, notes_rule_width, &R_RULE),
	KOPT("notes-rule-color", ST_COLOR, notes_rule_color, NULL),
	KOPT("notes-rule-color-cmyk", ST_INK, notes_rule_ink, NULL),
	K("quote-break-penalty", ST_INT, quote_break_penalty, &R_PENALTY),
	K("list-break-penalty", ST_INT, list_break_penalty, &R_PENALTY),
	K("section-break-penalty", ST_INT, section_break_penalty, &R_PENALTY),
	K("part-break-penalty", ST_INT, part_break_penalty, &R_PENALTY),
	K("min-page-fill", ST_NUM, min_page_fill, &R_FILL),
	K("cover-top", ST_LEN, cover_top, &R_SPACE),
	K("cover-title-size", ST_LEN, cover_title_size, &R_SIZE),
	K("cover-title-leading", ST_LEN, cover_title_leading, &R_LEADING),
	K("cover-standfirst-size", ST_LEN, cover_standfirst_size, &R_SIZE),
	K("cover-standfirst-leading", ST_LEN, cover_standfirst_leading,
	  &R_LEADING),
	K("cover-author-size", ST_LEN, cover_author_size, &R_SIZE),
	K("cover-gap", ST_LEN, cover_gap, &R_SPACE),
	K("field-bleed", ST_LEN, field_bleed, &R_BLEED),
	K("cover-field-color", ST_COLOR, cover_field_color, NULL),
	KOPT("cover-field-color-cmyk", ST_INK, cover_field_ink, NULL),
	K("cover-title-color", ST_COLOR, cover_title_color, NULL),
	KOPT("cover-title-color-cmyk", ST_INK, cover_title_ink, NULL),
	K("cover-standfirst-color", ST_COLOR, cover_standfirst_color, NULL),
	KOPT("cover-standfirst-color-cmyk", ST_INK, cover_standfirst_ink, NULL),
	K("cover-field-height", ST_LEN, cover_field_height, &R_SPACE),
	K("cover-field-pad", ST_LEN, cover_field_pad, &R_SPACE),
	KOPT("image-max-ppi", ST_NUM, image_max_ppi, &R_PPI),
	K("cover-mark-size", ST_LEN, cover_mark_size, &R_SIZE),
	K("back-field-color", ST_COLOR, back_field_color, NULL),
	KOPT("back-field-color-cmyk", ST_INK, back_field_ink, NULL),
	K("back-text-color", ST_COLOR, back_text_color, NULL),
	KOPT("back-text-color-cmyk", ST_INK, back_text_ink, NULL),
	K("back-field-height", ST_LEN, back_field_height, &R_SPACE),
	K("contents-title", ST_STR, contents_title, NULL),
	K("contents-size", ST_LEN, contents_size, &R_SIZE),
	K("contents-leading", ST_LEN, contents_leading, &R_LEADING),
	K("contents-indent", ST_LEN, contents_indent, &R_SPACE),
	K("contents-number-width", ST_LEN, contents_number_width, &R_SPACE),
	K("contents-part-above", ST_SPACE, contents_part_above, &R_SPACE),
	K("back-size", ST_LEN, back_size, &R_SIZE),
	K("back-leading", ST_LEN, back_leading, &R_LEADING),
	K("back-support-label", ST_STR, back_support_label, NULL),
	K("back-reviewed-label", ST_STR, back_reviewed_label, NULL),
	K("tolerance", ST_NUM, tolerance, &R_TOLERANCE),
	K("line-penalty", ST_INT, line_penalty, &R_LINEPEN),
	K("hyphen-penalty", ST_INT, hyphen_penalty, &R_PENALTY),
	K("dash-penalty", ST_INT, dash_penalty, &R_PENALTY),
	K("url-penalty", ST_INT, url_penalty, &R_PENALTY),
	KOPT("url-word-penalty", ST_INT, url_word_penalty, &R_PENALTY),
	K("flagged-demerits", ST_INT, flagged_demerits, &R_DEMERITS),
	K("fitness-demerits", ST_INT, fitness_demerits, &R_DEMERITS),
	KOPT("final-hyphen-demerits", ST_INT, final_hyphen_demerits,
	     &R_DEMERITS),
	K("max-hyphens", ST_INT, max_hyphens, &R_LINES),
	KOPT("font-expansion", ST_NUM, font_expansion, &R_EXPANSION),
	KOPT("protrusion", ST_NUM, protrusion, &R_PROTRUSION),
	KOPT("emergency-stretch", ST_LEN, emergency_stretch, &R_EMERGENCY),
	K("widow-lines", ST_INT, widow_lines, &R_LINES),
	K("orphan-lines", ST_INT, orphan_lines, &R_LINES),
	K("heading-keep-lines", ST_INT, heading_keep_lines, &R_LINES),
	KOPT("print-creep", ST_LEN, print_creep, &R_CREEP),
	KOPT("print-sheet", ST_STR, print_sheet, NULL),
	KOPT("print-crop-marks", ST_BOOL, print_crop_marks, NULL),
	KOPT("print-bleed", ST_LEN, print_bleed, &R_BLEED),
	KOPT("print-test-sheet", ST_BOOL, print_test_sheet, NULL),
};

#define STYLE_NKEYS (sizeof style_keys / sizeof style_keys[0])

/* A plain decimal number filling s[0..len): [+-]digits[.digits][e[+-]digits]
 * (no "inf", "nan" or hex, which strtod would take). Returns 0, -1 if s is
 * not such a number, -2 if it is too large for a double. */
static int style_decimal(const char *s, size_t len, double *out)
{
	char tmp[64], *end;
	size_t i = 0, digits = 0;
	if (len == 0 || len >= sizeof tmp)
		return -1;
	if (s[i] == '+' || s[i] == '-')
		i++;
	for (; i < len && isdigit((unsigned char)s[i]); i++)
		digits++;
	if (i < len && s[i] == '.')
		for (i++; i < len && isdigit((unsigned char)s[i]); i++)
			digits++;
	if (!digits)
		return -1;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t e = ++i;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			e = ++i;
		while (i < len && isdigit((unsigned char)s[i]))
			i++;
		if (i == e)
			return -1;
	}
	if (i != len)
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = 0;
	errno = 0;
	double v = strtod(tmp, &end);
	if (errno == ERANGE && (v > 1 || v < -1))
		return -2;
	*out = errno == ERANGE ? 0 : v;   /* too small: zero */
	return 0;
}

/* A length with its unit in pt, negative ones included. Returns 0, -1 if
 * s is not a length, -2 if it is too large. */
static int style_length(const char *s, double *out)
{
	size_t len = strlen(s);
	double v, scale;
	if (len < 3)
		return -1;
	const char *u = s + len - 2;
	if (!strcmp(u, "pt"))
		scale = 1.0;
	else if (!strcmp(u, "mm"))
		scale = MM;
	else if (!strcmp(u, "in"))
		scale = 72.0;
	else
		return -1;
	int rc = style_decimal(s, len - 2, &v);
	if (rc)
		return rc;
	*out = v * scale;
	return isfinite(*out) ? 0 : -2;
}

int style_parse_length(const char *s, double *out)
{
	double v;
	if (style_length(s, &v) || v < 0)
		return -1;
	*out = v;
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

/* "C M Y K", four percentages 0..100 (a print colour), into c. Returns
 * NULL, or a message. */
static const char *style_ink(const char *s, ink *c)
{
	double v[4];
	size_t i = 0, n = 0;
	while (s[i] && n < 4) {
		size_t e = i;
		while (s[e] && s[e] != ' ' && s[e] != '\t')
			e++;
		if (style_decimal(s + i, e - i, &v[n]) || v[n] < 0 ||
		    v[n] > 100)
			return "expected four percentages of ink, C M Y K, "
			       "each 0 to 100 (e.g. 0 70 20 45)";
		n++;
		while (s[e] == ' ' || s[e] == '\t')
			e++;
		i = e;
	}
	if (n != 4 || s[i])
		return "expected four percentages of ink, C M Y K, each 0 to "
		       "100 (e.g. 0 70 20 45)";
	*c = (ink){v[0] / 100, v[1] / 100, v[2] / 100, v[3] / 100};
	return NULL;
}

/* Check num, written v, against k's range. Returns NULL or a message. */
static const char *style_in_range(const style_key *k, const char *v,
				  double num, arena *a)
{
	if (num >= k->range->min && num <= k->range->max)
		return NULL;
	return arena_printf(a, "%s is out of range (%s)", v, k->range->text);
}

/* Store a number (a length, a number or a whole number) for k. Returns
 * NULL or a message. */
static const char *style_set_number(style *st, const style_key *k,
				    const char *v, arena *a)
{
	char *field = (char *)st + k->offset;
	double num = 0;
	int rc;
	if (k->kind == ST_LEN) {
		rc = style_length(v, &num);
		if (rc == -1)
			return arena_printf(a, "'%s' is not a length such as "
					    "10pt, 12mm or 0.5in", v);
	} else {
		rc = style_decimal(v, strlen(v), &num);
		if (rc == -1 || (k->kind == ST_INT && num != floor(num)))
			return arena_printf(a, "'%s' is not a %s", v,
					    k->kind == ST_INT ? "whole number"
							      : "number");
	}
	const char *msg = rc == -2 ?
		arena_printf(a, "%s is out of range (%s)", v, k->range->text) :
		style_in_range(k, v, num, a);
	if (msg)
		return msg;
	if (k->kind == ST_INT)
		*(int *)field = (int)num;
	else
		*(double *)field = num;
	return NULL;
}

/* A space: a length, then optionally "plus" a length it may grow by and
 * "minus" a length it may give up (no more than itself). Returns NULL or
 * a message. */
static const char *style_set_space(style *st, const style_key *k,
				   const char *v, arena *a)
{
	style_space sp = {0, 0, 0};
	double *slot[3] = {&sp.len, &sp.plus, &sp.minus};
	const char *word[3] = {NULL, "plus", "minus"};
	char *copy = arena_strdup(a, v), *save = NULL;
	int at = 0;
	for (char *tok = strtok_r(copy, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (at > 0) {
			int w = !strcmp(tok, "plus") ? 1 : !strcmp(tok, "minus") ? 2 : 0;
			if (at > 2 || w < at || !w)
				return arena_printf(a, "'%s' is not a space such as "
						    "12pt, or 12pt plus 4pt minus "
						    "2pt", v);
			tok = strtok_r(NULL, " \t", &save);
			if (!tok)
				return arena_printf(a, "'%s' needs a length after "
						    "'%s'", v, word[w]);
			at = w;
		}
		double num;
		int rc = style_length(tok, &num);
		if (rc == -1)
			return arena_printf(a, "'%s' is not a length such as "
					    "10pt, 12mm or 0.5in", tok);
		if (rc == -2 || num < k->range->min || num > k->range->max)
			return arena_printf(a, "%s is out of range (%s)", tok,
					    k->range->text);
		*slot[at] = num;
		at++;
	}
	if (sp.minus > sp.len)
		return arena_printf(a, "'%s' cannot give up more than its own "
				    "length", v);
	*(style_space *)((char *)st + k->offset) = sp;
	return NULL;
}

/* One of the words in names (NULL-terminated) into *field as its index.
 * Returns NULL or a message listing the words. */
static const char *style_set_word(int *field, const char *v,
				  const char *const *names, arena *a)
{
	buf b = {0};
	for (int i = 0; names[i]; i++) {
		if (!strcmp(v, names[i])) {
			*field = i;
			buf_free(&b);
			return NULL;
		}
		buf_printf(&b, "%s%s", i ? (names[i + 1] ? ", " : " or ") : "",
			   names[i]);
	}
	const char *msg = arena_printf(a, "expected %s", b.data ? b.data : "");
	buf_free(&b);
	return msg;
}

/* Store value v for key k into st. Returns NULL, or a message saying what
 * is wrong. */
static const char *style_set(style *st, const style_key *k, const char *v,
			     const char *fonts_dir, arena *a)
{
	char *field = (char *)st + k->offset;
	switch (k->kind) {
	case ST_LEN:
	case ST_NUM:
	case ST_INT:
		return style_set_number(st, k, v, a);
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
	case ST_INK:
		return style_ink(v, (ink *)field);
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
	case ST_SPACE:
		return style_set_space(st, k, v, a);
	case ST_HEAD: {
		static const char *const heads[] = {"none", "title", "part", NULL};
		return style_set_word((int *)field, v, heads, a);
	}
	case ST_ADDR: {
		static const char *const addrs[] = {"none", "after", "note", NULL};
		return style_set_word((int *)field, v, addrs, a);
	}
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

/* Cut a comment off line l: '#' starts one at the start of a line or
 * after a blank, except as the first character of a value (a colour). */
static void style_strip_comment(char *l)
{
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
			return;
		}
	}
}

/* One line of a style file (without its newline): a key and its value
 * stored into st, seen[] noting the line each key was set on. */
static void style_parse_line(style *st, char *l, int line, int *seen,
			     const char *path, const char *fonts_dir,
			     arena *a, diag_list *d)
{
	style_strip_comment(l);
	char *s = style_trim(l);
	if (!*s)
		return;
	char *eq = strchr(s, '=');
	if (!eq) {
		diag_add(d, DIAG_ERROR, path, line, 0, "expected \"key = value\"");
		return;
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
		return;
	}
	if (!*val) {
		diag_add(d, DIAG_ERROR, path, line, 0, "'%s' has no value", key);
		return;
	}
	if (seen[i])
		diag_add(d, DIAG_ERROR, path, line, 0,
			 "'%s' is set twice (first on line %d)", key, seen[i]);
	seen[i] = line;
	const char *msg = style_set(st, &style_keys[i], val, fonts_dir, a);
	if (msg)
		diag_add(d, DIAG_ERROR, path, line, 0, "%s: %s", key, msg);
}

/* The line key was set on (0 if it was not). */
static int style_line_of(const int *seen, const char *key)
{
	for (size_t i = 0; i < STYLE_NKEYS; i++)
		if (!strcmp(style_keys[i].name, key))
			return seen[i];
	return 0;
}

/* The latest of the lines keys a and b and c were set on. */
static int style_last_line(const int *seen, const char *a, const char *b,
			   const char *c)
{
	int la = style_line_of(seen, a), lb = style_line_of(seen, b),
	    lc = style_line_of(seen, c);
	int m = la > lb ? la : lb;
	return m > lc ? m : lc;
}

/* Rules between keys, once each key is valid on its own: reported at the
 * line of the key that broke them (the last of those involved). */
static void style_check_whole(const style *st, const int *seen,
			      const char *path, diag_list *d)
{
	if (st->page_width <= st->margin_inner + st->margin_outer)
		diag_add(d, DIAG_ERROR, path,
			 style_last_line(seen, "page-width", "margin-inner",
					 "margin-outer"), 0,
			 "margin-inner and margin-outer (%.1fmm together) "
			 "leave no room across the page-width (%.1fmm)",
			 (st->margin_inner + st->margin_outer) / MM,
			 st->page_width / MM);
	if (st->page_height <= st->margin_top + st->margin_bottom)
		diag_add(d, DIAG_ERROR, path,
			 style_last_line(seen, "page-height", "margin-top",
					 "margin-bottom"), 0,
			 "margin-top and margin-bottom (%.1fmm together) "
			 "leave no room down the page-height (%.1fmm)",
			 (st->margin_top + st->margin_bottom) / MM,
			 st->page_height / MM);
	if (st->bib_ragged && !(st->ragged_stretch > 0))
		diag_add(d, DIAG_ERROR, path, style_line_of(seen, "bib-ragged"),
			 0, "bib-ragged needs ragged-stretch (ems of notional "
			 "stretch per space, e.g. 0.5)");
	if (st->notes_page && !(st->notes_title && st->notes_rule_gap > 0 &&
				st->notes_rule_width > 0))
		diag_add(d, DIAG_ERROR, path, style_line_of(seen, "notes-page"),
			 0, "notes-page needs notes-title, notes-rule-gap, "
			 "notes-rule-width and notes-rule-color");
	if (st->link_address == ADDR_NOTE && !st->link_notes_title)
		diag_add(d, DIAG_ERROR, path, style_line_of(seen, "link-address"),
			 0, "link-address = note needs link-notes-title (the "
			 "heading of the list of addresses, e.g. Web addresses)");
	double w, h;
	if (st->print_sheet && style_sheet_size(st->print_sheet, &w, &h))
		diag_add(d, DIAG_ERROR, path, style_line_of(seen, "print-sheet"),
			 0, "print-sheet must be a4 or letter, not '%s'",
			 st->print_sheet);
}

/* For key i, an ink key "NAME-color-cmyk": the index of "NAME-color"
 * (STYLE_NKEYS if there is none). */
static size_t style_paint_key(size_t i)
{
	const char *name = style_keys[i].name;
	size_t n = strlen(name);
	if (style_keys[i].kind != ST_INK || n < 5 ||
	    strcmp(name + n - 5, "-cmyk"))
		return STYLE_NKEYS;
	for (size_t j = 0; j < STYLE_NKEYS; j++)
		if (style_keys[j].kind == ST_COLOR &&
		    !strncmp(style_keys[j].name, name, n - 5) &&
		    !style_keys[j].name[n - 5])
			return j;
	return STYLE_NKEYS;
}

#define STYLE_FIELD(st, type, i) ((type *)((char *)(st) + style_keys[i].offset))

/* Each colour's print colour: NAME-color-cmyk, or made from NAME-color
 * (ink_from_paint). Colours alike on screen must print alike: a PDF for
 * print finds a run's ink by its screen colour. */
static void style_fill_inks(style *st, const int *seen, const char *path,
			    diag_list *d)
{
	for (size_t i = 0; i < STYLE_NKEYS; i++) {
		size_t p = style_paint_key(i);
		if (p < STYLE_NKEYS && !seen[i])
			*STYLE_FIELD(st, ink, i) =
				ink_from_paint(*STYLE_FIELD(st, paint, p));
	}
	for (size_t i = 0; i < STYLE_NKEYS; i++) {
		size_t p = style_paint_key(i);
		for (size_t j = i + 1; p < STYLE_NKEYS && j < STYLE_NKEYS; j++) {
			size_t q = style_paint_key(j);
			if (q == STYLE_NKEYS ||
			    memcmp(STYLE_FIELD(st, paint, p),
				   STYLE_FIELD(st, paint, q), sizeof(paint)) ||
			    !memcmp(STYLE_FIELD(st, ink, i),
				    STYLE_FIELD(st, ink, j), sizeof(ink)))
				continue;
			diag_add(d, DIAG_ERROR, path,
				 seen[i] > seen[j] ? seen[i] : seen[j], 0,
				 "%s and %s are the same colour on screen but "
				 "not in print; make the screen colours differ",
				 style_keys[p].name, style_keys[q].name);
		}
	}
}

size_t style_inks(const style *st, paint *rgb, ink *cmyk, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < STYLE_NKEYS && n < max; i++) {
		size_t p = style_paint_key(i);
		if (p == STYLE_NKEYS)
			continue;
		rgb[n] = *STYLE_FIELD(st, const paint, p);
		cmyk[n++] = *STYLE_FIELD(st, const ink, i);
	}
	return n;
}

style *style_parse(const char *text, size_t len, const char *path,
		   const char *fonts_dir, arena *a, diag_list *d)
{
	style *st = arena_alloc(a, sizeof *st);
	int seen[STYLE_NKEYS];
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
		style_parse_line(st, arena_strndup(a, text + pos, e - pos),
				 line, seen, path, fonts_dir, a, d);
		pos = e + 1;
	}
	for (size_t i = 0; i < STYLE_NKEYS; i++)
		if (!seen[i] && !style_keys[i].optional)
			diag_add(d, DIAG_ERROR, path, 0, 0,
				 "required key '%s' is missing",
				 style_keys[i].name);
	if (!st->hyphenation)
		st->hyphenation = "/usr/share/hyphen/hyph_en_GB.dic";
	st->url_word_breaks = style_line_of(seen, "url-word-penalty") > 0;
	if (d->errors == errors0) {
		style_fill_inks(st, seen, path, d);
		style_check_whole(st, seen, path, d);
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

int style_set_paper(style *st, const char *name)
{
	double w, h;
	if (style_sheet_size(name, &w, &h))
		return -1;
	st->page_width = h;   /* the sheet sizes are landscape */
	st->page_height = w;
	return 0;
}
