/* color.h - a colour as the style gives it and the renderers draw it.
 * A plain value shared by the style parser, the typesetter and the
 * renderers, so that none of them depends on another for it. */
#ifndef CHAPBOOK_COLOR_H
#define CHAPBOOK_COLOR_H

typedef struct paint {
	double r, g, b;          /* RGB, 0..1 */
} paint;

#endif
