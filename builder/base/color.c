/* color.c - the print colour of a screen colour (see color.h). */
#include "base/color.h"

ink ink_from_paint(paint p)
{
	double r = p.r, g = p.g, b = p.b;
	double mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
	double mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
	ink o = {0, 0, 0, 0};

	if (mx - mn <= 2.0 / 255) {
		o.k = 1 - (r + g + b) / 3;
	} else {
		o.k = 1 - mx;
		o.c = (1 - r - o.k) / (1 - o.k);   /* mx > 0 here */
		o.m = (1 - g - o.k) / (1 - o.k);
		o.y = (1 - b - o.k) / (1 - o.k);
	}
	o.k = o.k < 0 ? 0 : o.k > 1 ? 1 : o.k;
	return o;
}
