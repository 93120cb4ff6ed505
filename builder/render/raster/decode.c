/* decode.c - owns reading PNG and JPEG images from untrusted bytes: the
 * signature check, the size limits (checked from the header, before any
 * pixel memory is taken), libpng's simplified reader and libjpeg's
 * decompressor with its errors turned into messages; and the pictures
 * going out: shrinking by area, JPEG through libjpeg's compressor. */
#include "render/raster/decode.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

/* jpeglib.h needs size_t and FILE declared first. */
#include <jpeglib.h>

static const unsigned char png_signature[8] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
};

/* 0 if w x h is within the limits, else -1 with a message naming kind. */
static int decode_check_size(const char *kind, unsigned long w,
			     unsigned long h, char *err, size_t errlen)
{
	if (w == 0 || h == 0) {
		snprintf(err, errlen, "%s image has no pixels", kind);
		return -1;
	}
	if (w > RASTER_MAX_SIDE || h > RASTER_MAX_SIDE) {
		snprintf(err, errlen, "%s image is %lu x %lu pixels; the limit "
			 "is %d on each side", kind, w, h, RASTER_MAX_SIDE);
		return -1;
	}
	if (w * h > RASTER_MAX_PIXELS) {
		snprintf(err, errlen, "%s image is %lu x %lu pixels; the limit "
			 "is %u million pixels", kind, w, h,
			 RASTER_MAX_PIXELS / 1000000);
		return -1;
	}
	return 0;
}

/* ---- PNG ---------------------------------------------------------------- */

/* libpng's simplified API converts every PNG (palette, grey, 16-bit,
 * interlaced, tRNS, gAMA) to 8-bit sRGB RGBA; its errors come back as
 * image.message, with no longjmp through our frames. */
static int decode_png(const unsigned char *bytes, size_t len, int *w, int *h,
		      unsigned char **rgba, char *err, size_t errlen)
{
	png_image img;
	unsigned char *px = NULL;

	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&img, bytes, len)) {
		snprintf(err, errlen, "cannot read PNG image: %s", img.message);
		png_image_free(&img);
		return -1;
	}
	if (decode_check_size("PNG", img.width, img.height, err, errlen)) {
		png_image_free(&img);
		return -1;
	}
	img.format = PNG_FORMAT_RGBA;
	px = malloc(PNG_IMAGE_SIZE(img));
	if (!px) {
		snprintf(err, errlen, "out of memory reading a PNG image");
		png_image_free(&img);
		return -1;
	}
	if (!png_image_finish_read(&img, NULL, px, 0, NULL)) {
		snprintf(err, errlen, "cannot read PNG image: %s", img.message);
		png_image_free(&img);
		free(px);
		return -1;
	}
	*w = (int)img.width;
	*h = (int)img.height;
	*rgba = px;
	return 0;
}

/* ---- JPEG --------------------------------------------------------------- */

typedef struct decode_jpeg_error {
	struct jpeg_error_mgr mgr;   /* first: libjpeg casts back to it */
	jmp_buf escape;
	char message[JMSG_LENGTH_MAX];
} decode_jpeg_error;

/* libjpeg's fatal error: keep the message and jump out of the library. */
static void decode_jpeg_fail(j_common_ptr cinfo)
{
	decode_jpeg_error *e = (decode_jpeg_error *)cinfo->err;

	e->mgr.format_message(cinfo, e->message);
	longjmp(e->escape, 1);
}

/* Warnings (corrupt data that libjpeg recovers from) are not printed. */
static void decode_jpeg_quiet(j_common_ptr cinfo, int level)
{
	(void)cinfo;
	(void)level;
}

/* Called between scans of a progressive file: stop after too many. */
static void decode_jpeg_progress(j_common_ptr cinfo)
{
	j_decompress_ptr d = (j_decompress_ptr)cinfo;

	if (d->is_decompressor && d->input_scan_number > RASTER_MAX_JPEG_SCANS) {
		decode_jpeg_error *e = (decode_jpeg_error *)cinfo->err;

		snprintf(e->message, sizeof e->message,
			 "more than %d progressive scans",
			 RASTER_MAX_JPEG_SCANS);
		longjmp(e->escape, 1);
	}
}

/* One decoded scanline (3 or 4 components) into RGBA. CMYK from Adobe
 * software is stored inverted (the usual case, flagged by its APP14
 * marker); it is converted naively, ink by ink, with no profile. */
static void decode_jpeg_row(const struct jpeg_decompress_struct *ci,
			    const unsigned char *in, unsigned char *out)
{
	JDIMENSION x;

	for (x = 0; x < ci->output_width; x++, out += 4) {
		if (ci->out_color_space == JCS_CMYK) {
			const unsigned char *p = in + 4 * x;
			unsigned c = p[0], m = p[1], y = p[2], k = p[3];

			if (!ci->saw_Adobe_marker) {
				c = 255 - c;
				m = 255 - m;
				y = 255 - y;
				k = 255 - k;
			}
			out[0] = (unsigned char)((c * k + 127) / 255);
			out[1] = (unsigned char)((m * k + 127) / 255);
			out[2] = (unsigned char)((y * k + 127) / 255);
		} else {
			memcpy(out, in + 3 * x, 3);
		}
		out[3] = 255;
	}
}

/* The decompressor's work between its header and its end. pixels and row
 * are the caller's volatile variables, so that after a longjmp out of
 * libjpeg the caller still sees (and frees) what was allocated. */
static int decode_jpeg_pixels(struct jpeg_decompress_struct *ci,
			      unsigned char *volatile *pixels,
			      unsigned char *volatile *row,
			      char *err, size_t errlen)
{
	size_t stride;

	if (ci->jpeg_color_space == JCS_CMYK || ci->jpeg_color_space == JCS_YCCK)
		ci->out_color_space = JCS_CMYK;
	else
		ci->out_color_space = JCS_RGB;
	jpeg_start_decompress(ci);   /* no scaling: the size checked */
	stride = (size_t)ci->output_width * 4;
	*pixels = malloc(stride * ci->output_height);
	*row = malloc((size_t)ci->output_width * ci->output_components);
	if (!*pixels || !*row) {
		snprintf(err, errlen, "out of memory reading a JPEG image");
		return -1;
	}
	while (ci->output_scanline < ci->output_height) {
		JSAMPROW r = (JSAMPROW)*row;
		unsigned char *out = *pixels + stride * ci->output_scanline;

		if (jpeg_read_scanlines(ci, &r, 1) != 1)
			break;
		decode_jpeg_row(ci, *row, out);
	}
	jpeg_finish_decompress(ci);
	return 0;
}

static int decode_jpeg(const unsigned char *bytes, size_t len, int *w, int *h,
		       unsigned char **rgba, char *err, size_t errlen)
{
	struct jpeg_decompress_struct ci;
	struct jpeg_progress_mgr progress;
	decode_jpeg_error e;
	unsigned char *volatile pixels = NULL;
	unsigned char *volatile row = NULL;
	int rc;

	memset(&ci, 0, sizeof ci);
	ci.err = jpeg_std_error(&e.mgr);
	e.mgr.error_exit = decode_jpeg_fail;
	e.mgr.emit_message = decode_jpeg_quiet;
	e.message[0] = '\0';
	if (setjmp(e.escape)) {
		snprintf(err, errlen, "cannot read JPEG image: %s", e.message);
		jpeg_destroy_decompress(&ci);
		free(pixels);
		free(row);
		return -1;
	}
	jpeg_create_decompress(&ci);
	/* The whole-image buffers of a progressive file stay within this. */
	ci.mem->max_memory_to_use = 4L * RASTER_MAX_PIXELS * 4;
	progress.progress_monitor = decode_jpeg_progress;
	ci.progress = &progress;
	jpeg_mem_src(&ci, bytes, (unsigned long)len);
	jpeg_read_header(&ci, TRUE);
	if (decode_check_size("JPEG", ci.image_width, ci.image_height, err,
			      errlen)) {
		jpeg_destroy_decompress(&ci);
		return -1;
	}
	rc = decode_jpeg_pixels(&ci, &pixels, &row, err, errlen);
	jpeg_destroy_decompress(&ci);
	free(row);
	if (rc != 0) {
		free(pixels);
		return -1;
	}
	*w = (int)ci.output_width;
	*h = (int)ci.output_height;
	*rgba = pixels;
	return 0;
}

int raster_decode_image(const unsigned char *bytes, size_t len, int *w,
			int *h, unsigned char **rgba, char *err, size_t errlen)
{
	char dummy[1];

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof dummy;
	}
	err[0] = '\0';
	*rgba = NULL;
	*w = *h = 0;
	if (len >= 8 && memcmp(bytes, png_signature, 8) == 0)
		return decode_png(bytes, len, w, h, rgba, err, errlen);
	if (len >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
		return decode_jpeg(bytes, len, w, h, rgba, err, errlen);
	snprintf(err, errlen, "not a PNG or JPEG image");
	return -1;
}

void raster_cover_crop(int w, int h, double fw, double fh, int *cx, int *cy,
		       int *cw, int *ch)
{
	*cx = *cy = 0;
	*cw = w;
	*ch = h;
	if (!(fw > 0) || !(fh > 0) || w < 1 || h < 1)
		return;
	if ((double)w * fh > (double)h * fw) {   /* wider: cut the sides */
		double keep = (double)h * fw / fh;
		*cw = keep < 1 ? 1 : (int)(keep + 0.5);
		if (*cw > w)
			*cw = w;
		*cx = (w - *cw) / 2;
	} else {                                 /* taller: cut top and foot */
		double keep = (double)w * fh / fw;
		*ch = keep < 1 ? 1 : (int)(keep + 0.5);
		if (*ch > h)
			*ch = h;
		*cy = (h - *ch) / 2;
	}
}

unsigned char *raster_crop(const unsigned char *rgba, int w, int cx, int cy,
			   int cw, int ch)
{
	size_t row = (size_t)cw * 4;
	unsigned char *out = malloc(row * (size_t)ch + 1);
	if (!out)
		return NULL;
	for (int y = 0; y < ch; y++)
		memcpy(out + (size_t)y * row,
		       rgba + (((size_t)(cy + y) * (size_t)w) + (size_t)cx) * 4,
		       row);
	return out;
}

/* ---- shrinking: area averaging in linear light ------------------------- */

static double dec_to_linear(double c)
{
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double dec_to_srgb(double c)
{
	c = c < 0 ? 0 : c > 1 ? 1 : c;
	return c <= 0.0031308 ? c * 12.92 : 1.055 * pow(c, 1 / 2.4) - 0.055;
}

/* The source pixels [k0, k1] an output pixel i of n covers along an axis
 * of len, with the weight of the first and last (the ones in between
 * count 1); the weights sum to len / n. */
typedef struct dec_span {
	int k0, k1;
	double w0, w1;
} dec_span;

static void dec_spans(int len, int n, dec_span *s)
{
	double r = (double)len / n;
	for (int i = 0; i < n; i++) {
		double u0 = i * r, u1 = (i + 1) * r;
		int k0 = (int)floor(u0), k1 = (int)ceil(u1) - 1;
		if (k1 > len - 1)
			k1 = len - 1;
		if (k1 < k0)
			k1 = k0;
		s[i].k0 = k0;
		s[i].k1 = k1;
		s[i].w0 = fmin(k0 + 1, u1) - u0;
		s[i].w1 = k1 > k0 ? u1 - k1 : s[i].w0;
	}
}

unsigned char *raster_shrink(const unsigned char *rgba, int w, int h,
			     int nw, int nh)
{
	if (w <= 0 || h <= 0 || nw <= 0 || nh <= 0 || nw > w || nh > h)
		return NULL;
	float lin[256];
	for (int v = 0; v < 256; v++)
		lin[v] = (float)dec_to_linear(v / 255.0);
	dec_span *sx = malloc((size_t)nw * sizeof *sx);
	dec_span *sy = malloc((size_t)nh * sizeof *sy);
	/* one output row's sums: premultiplied linear r, g, b and alpha */
	double *acc = malloc((size_t)nw * 4 * sizeof *acc);
	unsigned char *out = malloc((size_t)nw * (size_t)nh * 4 + 1);
	if (!sx || !sy || !acc || !out) {
		free(out);
		out = NULL;
		goto done;
	}
	dec_spans(w, nw, sx);
	dec_spans(h, nh, sy);
	double area = ((double)w / nw) * ((double)h / nh);
	for (int oy = 0; oy < nh; oy++) {
		memset(acc, 0, (size_t)nw * 4 * sizeof *acc);
		for (int y = sy[oy].k0; y <= sy[oy].k1; y++) {
			double wy = y == sy[oy].k0 ? sy[oy].w0 :
				    y == sy[oy].k1 ? sy[oy].w1 : 1;
			const unsigned char *row = rgba + (size_t)y * (size_t)w * 4;
			for (int ox = 0; ox < nw; ox++) {
				double *a = acc + (size_t)ox * 4;
				for (int x = sx[ox].k0; x <= sx[ox].k1; x++) {
					double wx = x == sx[ox].k0 ? sx[ox].w0 :
						    x == sx[ox].k1 ? sx[ox].w1 : 1;
					const unsigned char *p = row + (size_t)x * 4;
					double al = p[3] / 255.0 * wx * wy;
					a[0] += lin[p[0]] * al;
					a[1] += lin[p[1]] * al;
					a[2] += lin[p[2]] * al;
					a[3] += al;
				}
			}
		}
		unsigned char *o = out + (size_t)oy * (size_t)nw * 4;
		for (int ox = 0; ox < nw; ox++, o += 4) {
			const double *a = acc + (size_t)ox * 4;
			for (int c = 0; c < 3; c++)
				o[c] = a[3] > 0 ? (unsigned char)lround(
					dec_to_srgb(a[c] / a[3]) * 255) : 0;
			double al = a[3] / area;
			o[3] = (unsigned char)lround((al > 1 ? 1 : al) * 255);
		}
	}
done:
	free(sx);
	free(sy);
	free(acc);
	return out;
}

/* ---- JPEG out ----------------------------------------------------------- */

/* The parts of raster_encode_jpeg that libjpeg may jump out of; the
 * caller's locals it touches are volatile there. */
static int encode_jpeg_run(struct jpeg_compress_struct *ci,
			   decode_jpeg_error *e, const unsigned char *rgba,
			   int w, int h, int quality, unsigned char **out,
			   unsigned long *len, unsigned char *row)
{
	if (setjmp(e->escape))
		return -1;
	jpeg_create_compress(ci);
	jpeg_mem_dest(ci, out, len);
	ci->image_width = (JDIMENSION)w;
	ci->image_height = (JDIMENSION)h;
	ci->input_components = 3;
	ci->in_color_space = JCS_RGB;
	jpeg_set_defaults(ci);
	jpeg_set_quality(ci, quality, TRUE);
	ci->optimize_coding = TRUE;   /* smaller, and the same bytes each run */
	jpeg_start_compress(ci, TRUE);
	while (ci->next_scanline < ci->image_height) {
		const unsigned char *p = rgba + (size_t)ci->next_scanline *
						(size_t)w * 4;
		for (int x = 0; x < w; x++) {
			/* over white: a cover has no transparency */
			unsigned a = p[4 * x + 3];
			for (int c = 0; c < 3; c++)
				row[3 * x + c] = (unsigned char)((p[4 * x + c] * a +
					255 * (255 - a) + 127) / 255);
		}
		JSAMPROW r = row;
		jpeg_write_scanlines(ci, &r, 1);
	}
	jpeg_finish_compress(ci);
	return 0;
}

int raster_encode_jpeg(const unsigned char *rgba, int w, int h, int quality,
		       unsigned char **jpeg, size_t *len, char *err,
		       size_t errlen)
{
	struct jpeg_compress_struct ci;
	decode_jpeg_error e;
	unsigned char *out = NULL;
	unsigned long n = 0;
	unsigned char *row = malloc((size_t)w * 3 + 1);

	*jpeg = NULL;
	*len = 0;
	if (!row) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memset(&ci, 0, sizeof ci);
	ci.err = jpeg_std_error(&e.mgr);
	e.mgr.error_exit = decode_jpeg_fail;
	e.mgr.emit_message = decode_jpeg_quiet;
	e.message[0] = 0;
	int rc = encode_jpeg_run(&ci, &e, rgba, w, h, quality, &out, &n, row);
	jpeg_destroy_compress(&ci);
	free(row);
	if (rc) {
		snprintf(err, errlen, "cannot encode JPEG: %s", e.message);
		free(out);
		return -1;
	}
	*jpeg = out;
	*len = n;
	return 0;
}
