/* color.h - a colour as the style gives it and the renderers draw it: an
 * RGB paint for screens and an ink (CMYK) for print. Plain values shared
 * by the style parser, the typesetter and the renderers, so that none of
 * them depends on another for them. */
#ifndef CHAPBOOK_COLOR_H
#define CHAPBOOK_COLOR_H

typedef struct paint {
	double r, g, b;          /* RGB, 0..1 */
} paint;

/* A print colour: the coverage of cyan, magenta, yellow and black ink,
 * 0..1 each. */
typedef struct ink {
	double c, m, y, k;
} ink;

/* The ink a paint is printed with when the style names none: a grey (R, G
 * and B within 2/255 of each other) in black ink alone, so that text never
 * becomes four-colour black; any other colour by the plain conversion
 * K = 1 - max(R, G, B), C = (1 - R - K) / (1 - K), and so on. */
ink ink_from_paint(paint p);

#endif
