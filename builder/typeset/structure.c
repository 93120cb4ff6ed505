/* structure.c - the logical structure the typesetter records while it
 * sets the booklet (lo_struct in layout.h): elements are made as the
 * blocks that hold them are set, each under its parent, and the runs and
 * links set next belong to the element in L->elem. Element 0 is the
 * Document, made with the first element asked for. */
#include "typeset/lay.h"

#include <string.h>

/* A new element of type under parent (0 for the Document); its index. */
int lay_elem(lay *L, lo_stype type, int parent)
{
	if (!L->nstructs) {
		LAY_GROW(L, L->structs, L->nstructs, L->capstructs);
		L->structs[0] = (lo_struct){LO_DOCUMENT, -1, 0, LO_NUM_NONE,
					    NULL};
		L->nstructs = 1;
	}
	LAY_GROW(L, L->structs, L->nstructs, L->capstructs);
	lo_struct *e = &L->structs[L->nstructs];
	memset(e, 0, sizeof *e);
	e->type = type;
	e->parent = parent >= 0 && (size_t)parent < L->nstructs ? parent : 0;
	return (int)L->nstructs++;
}

/* A heading at level (1..6, deeper levels are 6) under parent. */
int lay_elem_heading(lay *L, int level, int parent)
{
	int e = lay_elem(L, LO_H, parent);
	L->structs[e].level = level < 1 ? 1 : level > 6 ? 6 : level;
	return e;
}

/* The parent of element e (the Document for the Document). */
int lay_elem_parent(const lay *L, int e)
{
	if (e <= 0 || (size_t)e >= L->nstructs)
		return 0;
	return L->structs[e].parent;
}

/* The level of the heading of a part (1), a section (one below its
 * part or section) or an experience (one below the part or section that
 * holds it), at most 6. */
int lay_heading_level(const doc_node *n)
{
	int extra = 0;
	if (n->type == DOC_EXPERIENCE) {
		extra = 1;
		while (n && n->type != DOC_PART && n->type != DOC_SECTION)
			n = n->parent;
		if (!n)
			return 2;
	}
	int level = (n->type == DOC_SECTION ? 1 + n->depth : 1) + extra;
	return level > 6 ? 6 : level;
}

/* The structure into lo (in its arena). */
void lay_structs_copy(lay *L, lo_doc *lo)
{
	lo->nstructs = L->nstructs;
	if (!L->nstructs)
		return;
	lo->structs = arena_alloc(L->a, L->nstructs * sizeof *lo->structs);
	memcpy(lo->structs, L->structs, L->nstructs * sizeof *lo->structs);
}
