/* utf8.c - the one UTF-8 codec (see utf8.h). */
#include "base/utf8.h"

uint32_t utf8_decode(const char *s, size_t len, size_t *used)
{
	const unsigned char *u = (const unsigned char *)s;
	if (len == 0) {
		*used = 0;
		return UTF8_REPLACEMENT;
	}
	*used = 1;
	if (u[0] < 0x80)
		return u[0];
	size_t n;
	uint32_t cp, min;
	if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		n = 2, cp = u[0] & 0x1F, min = 0x80;
	} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
		n = 3, cp = u[0] & 0x0F, min = 0x800;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		n = 4, cp = u[0] & 0x07, min = 0x10000;
	} else {
		return UTF8_REPLACEMENT;
	}
	if (len < n)
		return UTF8_REPLACEMENT;
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return UTF8_REPLACEMENT;
		cp = (cp << 6) | (u[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return UTF8_REPLACEMENT;
	*used = n;
	return cp;
}

size_t utf8_encode(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

size_t utf16_encode(uint32_t cp, uint16_t out[2])
{
	if (cp < 0x10000) {
		out[0] = (uint16_t)cp;
		return 1;
	}
	cp -= 0x10000;
	out[0] = (uint16_t)(0xD800 + (cp >> 10));
	out[1] = (uint16_t)(0xDC00 + (cp & 0x3FF));
	return 2;
}

size_t utf8_prev(const char *s, size_t end)
{
	if (end == 0)
		return 0;
	size_t k = end - 1, steps = 0;
	while (k > 0 && steps < 3 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--, steps++;
	/* a lone run of continuation bytes: each is its own character */
	size_t used;
	utf8_decode(s + k, end - k, &used);
	return k + used == end ? k : end - 1;
}

size_t utf8_count(const char *s, size_t len)
{
	size_t n = 0, used;
	for (size_t i = 0; i < len; i += used, n++) {
		if ((unsigned char)s[i] < 0x80) {
			used = 1;
			continue;
		}
		utf8_decode(s + i, len - i, &used);
	}
	return n;
}

int utf8_valid(const char *s, size_t len)
{
	size_t used;
	for (size_t i = 0; i < len; i += used) {
		if ((unsigned char)s[i] < 0x80) {
			used = 1;
			continue;
		}
		if (utf8_decode(s + i, len - i, &used) == UTF8_REPLACEMENT &&
		    !(used == 3 && (unsigned char)s[i] == 0xEF))
			return 0;
	}
	return 1;
}
