/* doc.h - chapbook's document tree: the one representation of a booklet
 * that every check and renderer reads. Built by load.c from the XML source,
 * allocated in one arena, never touched by libxml2 after loading. */
#ifndef CHAPBOOK_DOC_H
#define CHAPBOOK_DOC_H

#include <stddef.h>

#include "base/arena.h"
#include "doc/idset.h"

typedef struct doc_pos {
	const char *file;
	int line, col;
} doc_pos;

typedef enum doc_type {
	DOC_PART,        /* id, kind; first child DOC_HEADING */
	DOC_SECTION,     /* id; first child DOC_HEADING; nested sections */
	DOC_HEADING,     /* inline children: the title of its parent */
	DOC_PARA,        /* inline children */
	DOC_LIST,        /* ordered flag; DOC_ITEM children */
	DOC_ITEM,        /* block children (DOC_PARA ...) */
	DOC_EXPERIENCE,  /* name; first child DOC_HEADING, then DOC_PARA */
	DOC_BIBLIOGRAPHY,/* the generated reference list (in the references part) */
	DOC_TEXT,        /* text: UTF-8, whitespace already collapsed */
	DOC_EMPH,        /* inline children, set in italics */
	DOC_STRONG,      /* inline children, set in bold */
	DOC_LINK,        /* href; inline children */
	DOC_CITE,        /* keys/refs; DOC_LINK children are extra group items */
	DOC__MAX
} doc_type;

typedef enum doc_part_kind {
	PART_ARTICLE, PART_TIPS, PART_FURTHER, PART_REFERENCES, PART__MAX
} doc_part_kind;

typedef struct doc_ref doc_ref;
typedef struct doc_node doc_node;

struct doc_node {
	doc_type type;
	doc_pos pos;
	doc_node *parent, *first, *last, *next, *prev;
	const char *id;          /* PART, SECTION: the id attribute; where the
				    author gave none, check_document makes
				    one (NULL before) */
	const char *text;        /* TEXT: content; EXPERIENCE: name; LINK: the
				    href as written, unchecked: renderers get
				    it from doc_inline_next or doc_link_href,
				    which give it only once checked */
	doc_part_kind kind;      /* PART */
	int ordered;             /* LIST */
	int depth;               /* SECTION: 1 for a section directly in a part */
	/* CITE: the keys as written, and after check_document the entries they
	 * resolve to (NULL where unknown). anchor is "cite-N" (or, where the
	 * author took that id, the next free one: see idset.h). */
	const char **keys;
	doc_ref **refs;
	size_t nkeys;
	const char *anchor;
	int checked;             /* LINK: the href passed the URL policy;
				    CITE: its keys were looked up. Set by
				    check_document only. */
	/* CITE written in Markdown, pandoc's way (the XML loader leaves these
	 * NULL and 0). prefixes[k] and suffixes[k] are the words written
	 * before and after keys[k], whitespace collapsed and trimmed, NULL
	 * where none: "[see @a, p. 4]" gives "see" and ", p. 4"; "[@a p. 4]"
	 * gives "p. 4". in_text marks an author-in-text citation ("@a says",
	 * one key, to be set as "Gerhardt (2014)"); its suffix comes from
	 * "@a [p. 4]". Either array may be NULL when no key has one. */
	const char **prefixes, **suffixes;
	int in_text;
};

typedef struct doc_name {
	const char *family, *given, *literal, *honorific;
	doc_pos pos;
} doc_name;

/* A bibliography entry; fields are named after CSL variables. */
struct doc_ref {
	const char *id;          /* the key */
	const char *type;        /* CSL type: article-journal, book, chapter,
				    report, webpage */
	doc_pos pos;
	doc_name *authors;
	size_t nauthors;
	doc_name *editors;
	size_t neditors;
	const char *issued;      /* YYYY, YYYY-MM or YYYY-MM-DD */
	const char *title, *container_title, *volume, *issue, *page;
	const char *publisher, *publisher_place, *url, *accessed;
	doc_pos issued_pos, url_pos, accessed_pos;
	int url_checked;         /* the URL passed the URL policy (check.c) */
	/* Filled by check_document: the anchor of the first citation of this
	 * entry (NULL if never cited), and the entry's anchor "ref-<key>". */
	const char *first_cite;
	const char *anchor;
	int nocite;              /* listed without a citation (Markdown's
				    nocite): never warned as uncited */
};

typedef struct doc_meta {
	const char *title;
	doc_node *standfirst;    /* a DOC_PARA */
	doc_name *authors;
	size_t nauthors;
	const char *publisher, *language, *reviewed, *identifier;
	doc_pos reviewed_pos, identifier_pos, language_pos;
	/* the cover image (<cover image="..." alt="..."/>), or NULL: its path
	 * as written, its text alternative, and the file's bytes (PNG or
	 * JPEG, read by source/asset.c) */
	const char *cover_image, *cover_alt;
	const unsigned char *cover_data;
	size_t cover_len;
	doc_pos cover_pos;
	/* An evaluation of the book's accessibility that was done: who did
	 * it and the conformance it found ("WCAG 2.1 AA"); both NULL when
	 * none is claimed (XML <accessibility certified-by="..."
	 * conforms-to="..."/>, Markdown accessibility: {certified-by: ...,
	 * conforms-to: ...}; check_document wants both or neither). */
	const char *a11y_certified_by, *a11y_conforms_to;
	doc_pos a11y_pos;
} doc_meta;

typedef struct doc {
	arena *arena;
	const char *path;        /* the booklet file as given */
	doc_meta meta;
	doc_node *parts_first, *parts_last;  /* DOC_PART siblings */
	doc_ref *refs;           /* in source order */
	size_t nrefs;
	doc_ref **refs_sorted;   /* bibliography order (family, year, title) */
	hmap refs_by_key;        /* key -> entry, for doc_find_ref: built by
				    check_document, settled in the arena */
	size_t ncites;           /* number of DOC_CITE nodes */
	/* Every node that holds inline content (paragraphs, titles of parts,
	 * sections and experiences, the standfirst), in document order:
	 * doc_collect_inlines finds them all from the tree itself, whichever
	 * reader built it, and the checker checks exactly these, so no field
	 * escapes it. */
	doc_node **inlines;
	size_t ninlines, capinlines;
	/* Every id the outputs use so far: the author's and those made by
	 * check_document (frozen by it; renderers layer their own on top). */
	idset ids;
} doc;

/* Tree building (used by load.c and by tests). */
doc_node *doc_node_new(arena *a, doc_type type, doc_pos pos);
void doc_append(doc_node *parent, doc_node *child);

/* Register root (a DOC_PARA or DOC_HEADING) as holding inline content. */
void doc_add_inline(doc *d, doc_node *root);

/* Register every node of d that holds inline content, afresh: the
 * standfirst, then every heading and paragraph of every part, in document
 * order. check_document calls it first. */
void doc_collect_inlines(doc *d);

/* The one walk renderers use over inline content. Events in document
 * order: TEXT (text), EMPH/STRONG and their ENDs, LINK and LINK_END around
 * a link's content, CITE for a citation group (format it with
 * cite_format_group; its children are not walked). A link whose href has
 * not passed check_document gives no LINK events: its content comes out as
 * plain text, so no renderer can write an unchecked target. */
typedef enum doc_inline_event {
	DOC_IN_TEXT,
	DOC_IN_EMPH, DOC_IN_EMPH_END,
	DOC_IN_STRONG, DOC_IN_STRONG_END,
	DOC_IN_LINK, DOC_IN_LINK_END,
	DOC_IN_CITE
} doc_inline_event;

typedef struct doc_inline {
	doc_inline_event event;  /* the current event: */
	const doc_node *node;    /* its node */
	const char *text;        /* TEXT: the text */
	const char *href;        /* LINK, LINK_END: the checked target */
	const doc_node *root_, *at_;  /* the walk's own state */
	int entering_;
} doc_inline;

/* Start a walk over the inline content of root (a paragraph or heading). */
void doc_inline_start(doc_inline *it, const doc_node *root);
/* Move to the next event: 1, or 0 at the end. */
int doc_inline_next(doc_inline *it);

/* A LINK's target if check_document accepted it, else NULL. */
const char *doc_link_href(const doc_node *link);

/* A depth-first walk without recursion: returns the next event after
 * (n, *entering) within root, or NULL at the end; start with n = NULL.
 * Every node is entered (*entering = 1) and later left (0), after its
 * children. Setting *entering to 0 on an entered node skips its children. */
doc_node *doc_walk(doc_node *root, doc_node *n, int *entering);

/* The plain text of a node's inline content (citations rendered by
 * cite.c are not included; emphasis is flattened). */
char *doc_plain_text(arena *a, const doc_node *n);

/* Heading node of a PART, SECTION or EXPERIENCE (its first child). */
doc_node *doc_heading(const doc_node *n);

/* The entry with this key: through the index check_document builds, or
 * by a linear search before it has run. */
doc_ref *doc_find_ref(const doc *d, const char *key);

/* For a table built once and then only read: move m's slot arrays into
 * arena a and free the malloc'd ones. hmap_get keeps working for as long
 * as a lives; m must not be given to hmap_put or hmap_free again. */
void doc_hmap_settle(hmap *m, arena *a);

const char *doc_type_name(doc_type t);
const char *doc_part_kind_name(doc_part_kind k);

#endif
