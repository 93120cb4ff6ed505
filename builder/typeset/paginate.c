/* paginate.c - the vertical list cut into pages: each range (body,
 * contents, cover, back cover) greedily, a line going on the page if it
 * fits, with keeps (widows, orphans, headings, quotes, short list items)
 * and forced breaks; then the order of the ranges in the book, with the
 * blank pages that put the body on a right-hand page and the back cover on
 * the last. */
#include "typeset/lay.h"

/* Paginate lines [a, b) greedily: a line goes on the page if it fits,
 * else the page ends before the latest line that may start a page (no
 * keep); when the whole page is one keep chain it ends at the overflow.
 * Sets each line's page (from 0) and y. Returns the page count. */
int lay_paginate(lay *L, size_t a, size_t b)
{
	int page = 0;
	size_t start = a, i = a;
	double y = 0;
	while (i < b) {
		lay_vline *v = &L->lines[i];
		if (i > start && v->force) {
			page++;
			start = i;
		}
		double ny = i == start
			? v->ascent + (v->fixed ? v->space_before : 0)
			: y + v->space_before + v->leading;
		if (i > start && ny - v->descent > L->text_height) {
			size_t j = i;
			while (j > start && L->lines[j].keep)
				j--;
			if (j == start)
				j = i;
			page++;
			start = i = j;
			continue;
		}
		v->page = page;
		v->y = ny;
		y = ny;
		i++;
	}
	return b > a ? page + 1 : 0;
}

/* Where each range's pages fall in the book: cover, contents, [blank],
 * body, [blank], back; the body starts on a right-hand page and the back
 * cover sits on the side a reader expects. Makes every line's page
 * absolute and places the anchors (page and y of their line's top). */
void lay_order_pages(lay *L, lay_book *b)
{
	const style *st = L->st;
	lay_range *cover = &b->r[LAY_COVER], *front = &b->r[LAY_CONTENTS];
	lay_range *body = &b->r[LAY_BODY], *back = &b->r[LAY_BACK];
	if (!cover->npages)
		cover->npages = 1;
	if (!back->npages)
		back->npages = 1;
	cover->base = 0;
	front->base = cover->npages;
	int blank1 = (front->base + front->npages) % 2;
	body->base = front->base + front->npages + blank1;
	int blank2 = (body->base + body->npages + back->npages) % 2;
	back->base = body->base + body->npages + blank2;
	b->npages = back->base + back->npages;
	for (int k = 0; k < LAY_NRANGES; k++)
		for (size_t i = b->r[k].first; i < b->r[k].end; i++)
			L->lines[i].page += b->r[k].base;
	for (size_t i = 0; i < L->nanchors; i++) {
		lay_anchor *an = &L->anchors[i];
		if (an->line == SIZE_MAX)
			continue;
		const lay_vline *v = &L->lines[an->line];
		an->page = v->page;
		an->y = st->page_height - st->margin_top - v->y + v->ascent;
	}
}
