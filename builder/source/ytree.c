/* ytree.c - YAML (and JSON) into a positioned tree through libyaml's
 * event parser (see ytree.h). */
#include "source/ytree.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <yaml.h>

typedef struct yt_builder {
	arena *a;
	diag_list *d;
	const char *file;
	int first_line;
	yt_node *stack[YT_MAX_DEPTH + 1];
	int depth;
	size_t nodes;
	yt_node *root;
	int failed;
} yt_builder;

static doc_pos yt_pos(const yt_builder *b, yaml_mark_t m)
{
	doc_pos p = {b->file, b->first_line + (int)m.line, (int)m.column + 1};
	return p;
}

static void yt_vreport(diag_list *d, diag_level lv, const yt_node *v,
		       const char *fmt, va_list ap)
{
	char msg[600];
	vsnprintf(msg, sizeof msg, fmt, ap);
	diag_add(d, lv, v ? v->pos.file : NULL, v ? v->pos.line : 0,
		 v ? v->pos.col : 0, "%s", msg);
}

void yt_error(diag_list *d, const yt_node *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	yt_vreport(d, DIAG_ERROR, v, fmt, ap);
	va_end(ap);
}

void yt_warning(diag_list *d, const yt_node *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	yt_vreport(d, DIAG_WARNING, v, fmt, ap);
	va_end(ap);
}

/* The character at (0-based) line and column of text, or 0. */
static char yt_char_at(const char *text, size_t len, yaml_mark_t m)
{
	size_t i = 0;
	for (size_t l = 0; l < m.line && i < len; i++)
		l += text[i] == '\n';
	for (size_t c = 0; c < m.column && i < len; c++) {
		i++;
		while (i < len && ((unsigned char)text[i] & 0xC0) == 0x80)
			i++;
	}
	return i < len ? text[i] : 0;
}

/* libyaml's words, with hints for the slips every YAML writer makes. */
static void yt_parser_error(yt_builder *b, const yaml_parser_t *p,
			    const char *text, size_t len)
{
	doc_pos at = yt_pos(b, p->problem_mark);
	const char *problem = p->problem ? p->problem : "malformed YAML";
	if (yt_char_at(text, len, p->problem_mark) == '\t')
		diag_add(b->d, DIAG_ERROR, at.file, at.line, at.col,
			 "YAML: a tab; indent with spaces");
	else if (!strcmp(problem, "mapping values are not allowed in this context"))
		diag_add(b->d, DIAG_ERROR, at.file, at.line, at.col,
			 "YAML: a value holds ': '; put the value in quotes "
			 "(title: \"Mums: bonding\")");
	else if (p->context)
		diag_add(b->d, DIAG_ERROR, at.file, at.line, at.col,
			 "YAML: %s %s", problem, p->context);
	else
		diag_add(b->d, DIAG_ERROR, at.file, at.line, at.col,
			 "YAML: %s", problem);
	b->failed = 1;
}

static void yt_fail(yt_builder *b, yaml_mark_t m, const char *msg)
{
	doc_pos at = yt_pos(b, m);
	diag_add(b->d, DIAG_ERROR, at.file, at.line, at.col, "%s", msg);
	b->failed = 1;
}

/* 1 if the scalar holds a control character other than tab and newline
 * (reachable through escapes such as "\x01"; no output format takes them). */
static int yt_has_control(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') ||
		    s[i] == 0x7f)
			return 1;
	return 0;
}

static void yt_attach(yt_builder *b, yt_node *v)
{
	if (b->depth == 0) {
		b->root = v;
		return;
	}
	yt_node *parent = b->stack[b->depth - 1];
	if (parent->last)
		parent->last->next = v;
	else
		parent->first = v;
	parent->last = v;
	parent->n++;
}

static yt_node *yt_new(yt_builder *b, yt_kind kind, yaml_mark_t m)
{
	if (++b->nodes > YT_MAX_NODES) {
		char msg[96];
		snprintf(msg, sizeof msg, "YAML: more than the limit of %d values",
			 YT_MAX_NODES);
		yt_fail(b, m, msg);
		return NULL;
	}
	yt_node *v = arena_alloc(b->a, sizeof *v);
	v->kind = kind;
	v->pos = yt_pos(b, m);
	return v;
}

/* A mapping key must be a scalar: a key that is a sequence or a mapping
 * (complex keys) is refused. */
static int yt_key_expected(const yt_builder *b)
{
	if (b->depth == 0)
		return 0;
	const yt_node *parent = b->stack[b->depth - 1];
	return parent->kind == YT_MAP && parent->n % 2 == 0;
}

/* Handle one event; returns 1 when the document is complete. */
static int yt_event(yt_builder *b, const yaml_event_t *e)
{
	switch (e->type) {
	case YAML_SCALAR_EVENT: {
		const unsigned char *s = e->data.scalar.value;
		size_t n = e->data.scalar.length;
		if (yt_has_control(s, n)) {
			yt_fail(b, e->start_mark,
				"YAML: a value holds a control character");
			return 1;
		}
		yt_node *v = yt_new(b, YT_SCALAR, e->start_mark);
		if (!v)
			return 1;
		v->text = arena_strndup(b->a, (const char *)s, n);
		v->len = n;
		v->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		yt_attach(b, v);
		return b->depth == 0;
	}
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		if (yt_key_expected(b)) {
			yt_fail(b, e->start_mark,
				"YAML: a key must be plain text, not a list or mapping");
			return 1;
		}
		if (b->depth >= YT_MAX_DEPTH) {
			char msg[96];
			snprintf(msg, sizeof msg,
				 "YAML: nested deeper than the limit of %d levels",
				 YT_MAX_DEPTH);
			yt_fail(b, e->start_mark, msg);
			return 1;
		}
		yt_node *v = yt_new(b, e->type == YAML_SEQUENCE_START_EVENT
					       ? YT_SEQ : YT_MAP, e->start_mark);
		if (!v)
			return 1;
		yt_attach(b, v);
		b->stack[b->depth++] = v;
		return 0;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth > 0)
			b->depth--;
		return b->depth == 0;
	case YAML_ALIAS_EVENT:
		yt_fail(b, e->start_mark,
			"YAML: aliases (*name) are not supported; write the value out");
		return 1;
	case YAML_DOCUMENT_END_EVENT:
	case YAML_STREAM_END_EVENT:
		return 1;
	default:
		return 0;
	}
}

yt_node *yt_parse(const char *text, size_t len, const char *file,
		  int first_line, arena *a, diag_list *d)
{
	yt_builder b = {.a = a, .d = d, .file = file, .first_line = first_line};
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		diag_add(d, DIAG_ERROR, file, first_line, 1,
			 "internal error: libyaml does not start");
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	for (;;) {
		yaml_event_t e;
		if (!yaml_parser_parse(&p, &e)) {
			yt_parser_error(&b, &p, text, len);
			break;
		}
		int done = yt_event(&b, &e);
		yaml_event_delete(&e);
		if (done)
			break;
	}
	yaml_parser_delete(&p);
	return b.failed ? NULL : b.root;
}

const yt_node *yt_get(const yt_node *map, const char *key)
{
	if (!map || map->kind != YT_MAP)
		return NULL;
	for (const yt_node *k = map->first; k && k->next; k = k->next->next)
		if (k->kind == YT_SCALAR && !strcmp(k->text, key))
			return k->next;
	return NULL;
}

int yt_is_null(const yt_node *v)
{
	if (!v)
		return 1;
	if (v->kind != YT_SCALAR || !v->plain)
		return 0;
	return !strcmp(v->text, "") || !strcmp(v->text, "~") ||
	       !strcmp(v->text, "null") || !strcmp(v->text, "Null") ||
	       !strcmp(v->text, "NULL");
}

void yt_warn_bool(diag_list *d, const yt_node *v)
{
	static const char *const words[] = {
		"y", "n", "yes", "no", "on", "off", "true", "false", NULL
	};
	if (!v || v->kind != YT_SCALAR || !v->plain || v->len > 5)
		return;
	char low[6];
	for (size_t i = 0; i <= v->len; i++)
		low[i] = (char)(v->text[i] >= 'A' && v->text[i] <= 'Z'
					? v->text[i] + 32 : v->text[i]);
	for (size_t i = 0; words[i]; i++)
		if (!strcmp(low, words[i])) {
			yt_warning(d, v, "unquoted %s is a yes/no value to YAML readers such as pandoc's, which drop it; write \"%s\"",
				   v->text, v->text);
			return;
		}
}
