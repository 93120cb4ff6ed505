/* impose.c - saddle-stitch page order (see impose.h). Sheets are printed
 * duplex, flipped on the short edge, and nested with sheet 1 outermost. */
#include "render/pdf/impose.h"

int impose_padded_count(int npages)
{
	if (npages <= 0)
		return 0;
	return (npages + 3) / 4 * 4;
}

int impose_pad(int npages, int last_is_back_cover, int *seq)
{
	int n = impose_padded_count(npages);
	int blanks = n - npages;
	int i, k = 0;
	/* With one page there is no "before the back cover": pad at the end. */
	int before_last = last_is_back_cover && npages >= 2;
	int body = before_last ? npages - 1 : npages;

	for (i = 0; i < body; i++)
		seq[k++] = i;
	for (i = 0; i < blanks; i++)
		seq[k++] = -1;
	if (before_last)
		seq[k++] = npages - 1;
	return n;
}

int impose_sides(int n)
{
	return n > 0 && n % 4 == 0 ? n / 2 : 0;
}

int impose_slot(int n, int side, int position)
{
	int k, page;

	if (n <= 0 || n % 4 != 0 || side < 0 || side >= n / 2 ||
	    position < 0 || position > 1)
		return -1;
	k = side / 2 + 1;
	if (side % 2 == 0)      /* front */
		page = position == 0 ? n - 2 * k + 2 : 2 * k - 1;
	else                    /* back */
		page = position == 0 ? 2 * k : n - 2 * k + 1;
	return page - 1;
}
