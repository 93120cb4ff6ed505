/* shape.c - owns shaping with HarfBuzz (see shape.h): the HarfBuzz buffer,
 * features and shape plans (made once per face, options and segment
 * properties, not looked up per call), the cache of shaped runs
 * (base/hash.h's table over entries in the cache's arena, keyed by face,
 * text and options) and the queries on a run's clusters that the line
 * breaker uses. */
#include "font/shape.h"

#include <hb.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uloc.h>

#include "base/arena.h"
#include "base/hash.h"

/* Longest text shaped in one go (HarfBuzz lengths are ints). */
#define SHAPE_MAX_LEN (1u << 24)

enum { SHAPE_MAX_PLANS = 64 };

/* A shape plan for a face, options and segment properties. */
typedef struct shape_plan {
	const face *face;
	int kern, liga;
	hb_segment_properties_t props;
	hb_shape_plan_t *plan;
} shape_plan;

struct shape_cache {
	pthread_mutex_t lock;
	arena mem;                 /* entries, texts and glyphs */
	hmap map;                  /* shape_entry by shape_key */
	hb_buffer_t *buf;          /* reused, under the lock */
	shape_plan plans[SHAPE_MAX_PLANS];
	size_t nplans;
	size_t misses;
	char lang[64];             /* the language last asked for, and */
	hb_script_t lang_script;   /* the script it is written in */
};

typedef struct shape_entry {
	shape_run run;
	const face *face;
	int kern, liga;
	const char *lang, *script; /* arena copies, or NULL */
} shape_entry;

/* What a run is looked up by: text[0..len), plus a '-' when hyphen. */
typedef struct shape_key {
	const face *face;
	const char *text;
	size_t len;
	int hyphen;
	const shape_opts *o;
} shape_key;

shape_cache *shape_cache_new(void)
{
	shape_cache *c = calloc(1, sizeof *c);

	if (!c)
		return NULL;
	c->buf = hb_buffer_create();
	if (!hb_buffer_allocation_successful(c->buf) ||
	    pthread_mutex_init(&c->lock, NULL) != 0) {
		hb_buffer_destroy(c->buf);
		free(c);
		return NULL;
	}
	return c;
}

void shape_cache_free(shape_cache *c)
{
	if (!c)
		return;
	hmap_free(&c->map);
	arena_free(&c->mem);
	hb_buffer_destroy(c->buf);
	for (size_t i = 0; i < c->nplans; i++)
		hb_shape_plan_destroy(c->plans[i].plan);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

size_t shape_cache_misses(const shape_cache *c)
{
	return c->misses;
}

size_t shape_cache_plans(const shape_cache *c)
{
	return c->nplans;
}

static int shape_same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static uint64_t shape_hash(const shape_key *k)
{
	uint64_t h = hash_bytes(HASH_SEED, k->text, k->len);

	if (k->hyphen)
		h = hash_bytes(h, "-", 1);
	h = hash_u64(h, (uint64_t)(uintptr_t)k->face);
	h = hash_u64(h, (uint64_t)(k->o->kern != 0) | (uint64_t)(k->o->liga != 0) << 1);
	if (k->o->lang)
		h = hash_bytes(h, k->o->lang, strlen(k->o->lang));
	if (k->o->script)
		h = hash_bytes(h, k->o->script, strlen(k->o->script));
	return h;
}

static int shape_eq(const void *entry, const void *key)
{
	const shape_entry *e = entry;
	const shape_key *k = key;

	return e->face == k->face && e->run.len == k->len + (size_t)k->hyphen &&
	       !memcmp(e->run.text, k->text, k->len) &&
	       (!k->hyphen || e->run.text[k->len] == '-') &&
	       e->kern == (k->o->kern != 0) && e->liga == (k->o->liga != 0) &&
	       shape_same_str(e->lang, k->o->lang) &&
	       shape_same_str(e->script, k->o->script);
}

/* The shape plan for buffer b's segment properties in face f with
 * features feats[0..2) (kern, liga as in o), made on first use and kept;
 * NULL when HarfBuzz has no memory (then hb_shape finds its own). */
static hb_shape_plan_t *shape_plan_for(shape_cache *c, const face *f,
				       hb_buffer_t *b, const hb_feature_t *feats,
				       const shape_opts *o)
{
	hb_segment_properties_t props;
	hb_buffer_get_segment_properties(b, &props);
	for (size_t i = 0; i < c->nplans; i++) {
		const shape_plan *p = &c->plans[i];
		if (p->face == f && p->kern == (o->kern != 0) &&
		    p->liga == (o->liga != 0) &&
		    hb_segment_properties_equal(&p->props, &props))
			return p->plan;
	}
	if (c->nplans == SHAPE_MAX_PLANS)
		return NULL;
	hb_shape_plan_t *plan = hb_shape_plan_create(
		hb_font_get_face(face_hb_font(f)), &props, feats, 2, NULL);
	if (!plan || plan == hb_shape_plan_get_empty())
		return NULL;
	c->plans[c->nplans++] = (shape_plan){f, o->kern != 0, o->liga != 0,
					     props, plan};
	return plan;
}

/* The script language lang (BCP 47) is written in, as ICU's likely
 * subtags say ("en-GB": Latin), remembered for the last language asked;
 * HB_SCRIPT_INVALID when unknown. */
static hb_script_t shape_lang_script(shape_cache *c, const char *lang)
{
	if (!lang || !*lang || strlen(lang) >= sizeof c->lang)
		return HB_SCRIPT_INVALID;
	if (!strcmp(c->lang, lang))
		return c->lang_script;
	char id[ULOC_FULLNAME_CAPACITY], full[ULOC_FULLNAME_CAPACITY];
	char script[ULOC_SCRIPT_CAPACITY];
	UErrorCode err = U_ZERO_ERROR;
	int32_t used = 0;
	uloc_forLanguageTag(lang, id, (int32_t)sizeof id, &used, &err);
	uloc_addLikelySubtags(id, full, (int32_t)sizeof full, &err);
	int32_t n = uloc_getScript(full, script, (int32_t)sizeof script, &err);
	hb_script_t s = HB_SCRIPT_INVALID;
	if (U_SUCCESS(err) && err != U_STRING_NOT_TERMINATED_WARNING && n == 4)
		s = hb_script_from_string(script, 4);
	strcpy(c->lang, lang);
	c->lang_script = s;
	return s;
}

/* Shape e->run.text with c's buffer into e's glyphs. 0, or -1 when
 * HarfBuzz runs out of memory. */
static int shape_run_hb(shape_cache *c, shape_entry *e, const shape_opts *o)
{
	hb_buffer_t *b = c->buf;
	hb_feature_t feats[2] = {
		{HB_TAG('k', 'e', 'r', 'n'), o->kern != 0,
		 HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
		{HB_TAG('l', 'i', 'g', 'a'), o->liga != 0,
		 HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
	};
	unsigned int n, i;

	hb_buffer_clear_contents(b);
	hb_buffer_set_flags(b, HB_BUFFER_FLAG_BOT | HB_BUFFER_FLAG_EOT);
	hb_buffer_add_utf8(b, e->run.text, (int)e->run.len, 0,
			   (int)e->run.len);
	if (o->lang)
		hb_buffer_set_language(b, hb_language_from_string(o->lang, -1));
	if (o->script)
		hb_buffer_set_script(b, hb_script_from_string(o->script, -1));
	hb_buffer_guess_segment_properties(b);
	if (hb_buffer_get_script(b) == HB_SCRIPT_INVALID)
		/* digits and punctuation only ("2017)."): the script of the
		 * text around them, taken to be the language's, as HarfBuzz
		 * would give them within a sentence */
		hb_buffer_set_script(b, shape_lang_script(c, o->lang));
	hb_shape_plan_t *plan = shape_plan_for(c, e->face, b, feats, o);
	if (!plan || !hb_shape_plan_execute(plan, face_hb_font(e->face), b,
					    feats, 2))
		hb_shape(face_hb_font(e->face), b, feats, 2);
	if (!hb_buffer_allocation_successful(b))
		return -1;
	const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(b, &n);
	const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(b, NULL);
	shape_glyph *g = arena_alloc(&c->mem, (n ? n : 1) * sizeof *g);

	e->run.width = 0;
	for (i = 0; i < n; i++) {
		g[i].gid = info[i].codepoint;
		g[i].cluster = info[i].cluster;
		g[i].x_advance = pos[i].x_advance;
		g[i].x_offset = pos[i].x_offset;
		g[i].y_offset = pos[i].y_offset;
		g[i].flags = (hb_glyph_info_get_glyph_flags(&info[i]) &
			      HB_GLYPH_FLAG_UNSAFE_TO_BREAK) ?
			     SHAPE_UNSAFE_TO_BREAK : 0;
		e->run.width += pos[i].x_advance;
	}
	e->run.glyphs = g;
	e->run.n = n;
	return 0;
}

/* The cached run for k, shaped on a miss; NULL when memory runs out. */
static const shape_run *shape_lookup(shape_cache *c, const shape_key *k)
{
	uint64_t h = shape_hash(k);
	shape_entry *e;
	char *text;

	if (k->len > SHAPE_MAX_LEN || (!k->text && k->len))
		return NULL;
	pthread_mutex_lock(&c->lock);
	e = hmap_get(&c->map, h, shape_eq, k);
	if (e) {
		pthread_mutex_unlock(&c->lock);
		return &e->run;
	}
	e = arena_alloc(&c->mem, sizeof *e);
	text = arena_alloc(&c->mem, k->len + (size_t)k->hyphen + 1);
	if (k->len)
		memcpy(text, k->text, k->len);
	if (k->hyphen)
		text[k->len] = '-';
	e->run.text = text;
	e->run.len = k->len + (size_t)k->hyphen;
	e->run.units_per_em = face_units_per_em(k->face);
	e->face = k->face;
	e->kern = k->o->kern != 0;
	e->liga = k->o->liga != 0;
	e->lang = k->o->lang ? arena_strdup(&c->mem, k->o->lang) : NULL;
	e->script = k->o->script ? arena_strdup(&c->mem, k->o->script) : NULL;
	if (shape_run_hb(c, e, k->o) != 0) {
		pthread_mutex_unlock(&c->lock);
		return NULL;
	}
	c->misses++;
	(void)hmap_put(&c->map, h, e);   /* on failure: uncached, still valid */
	pthread_mutex_unlock(&c->lock);
	return &e->run;
}

const shape_run *shape_text(shape_cache *c, const face *f, const char *text,
			    size_t len, const shape_opts *o)
{
	shape_key k = {f, text, len, 0, o};

	return shape_lookup(c, &k);
}

const shape_run *shape_hyphenated(shape_cache *c, const face *f,
				  const char *text, size_t len,
				  const shape_opts *o)
{
	shape_key k = {f, text, len, 1, o};

	return shape_lookup(c, &k);
}

int64_t shape_range(const shape_run *r, size_t from, size_t to)
{
	int64_t w = 0;

	for (size_t i = 0; i < r->n; i++)
		if (r->glyphs[i].cluster >= from && r->glyphs[i].cluster < to)
			w += r->glyphs[i].x_advance;
	return w;
}

shape_break shape_break_at(const shape_run *r, size_t at)
{
	shape_break b = SHAPE_BREAK_NONE;

	if (at == 0 || at == r->len)
		return SHAPE_BREAK_CLEAN;
	for (size_t i = 0; i < r->n; i++) {
		if (r->glyphs[i].cluster != at)
			continue;
		if (r->glyphs[i].flags & SHAPE_UNSAFE_TO_BREAK)
			return SHAPE_BREAK_RESHAPE;
		b = SHAPE_BREAK_CLEAN;
	}
	return b;
}
