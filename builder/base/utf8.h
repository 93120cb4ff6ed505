/* utf8.h - the one UTF-8 codec of the tool. Every module that reads or
 * writes UTF-8 (the loader's column counting, hyphenation, measuring,
 * drawing) uses these, so a byte sequence means the same everywhere:
 * overlong forms, surrogates and code points above U+10FFFF are malformed
 * and decode as U+FFFD, one byte at a time. */
#ifndef CHAPBOOK_UTF8_H
#define CHAPBOOK_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/* Decode one code point from s (len bytes left); sets *used (>= 1, or 0
 * when len is 0). Returns UTF8_REPLACEMENT for malformed input. */
uint32_t utf8_decode(const char *s, size_t len, size_t *used);

/* Encode cp (which must be a valid scalar value) into out (room for 4).
 * Returns the number of bytes written. */
size_t utf8_encode(uint32_t cp, char *out);

/* Encode cp (a valid scalar value) as UTF-16 code units into out: a
 * surrogate pair above U+FFFF. Returns the number of units (1 or 2). */
size_t utf16_encode(uint32_t cp, uint16_t out[2]);

/* The start of the character that ends s[0..end) (end itself when end is
 * 0): steps back over continuation bytes. */
size_t utf8_prev(const char *s, size_t end);

/* Number of characters (code points, counting each malformed byte as one)
 * in s[0..len). */
size_t utf8_count(const char *s, size_t len);

/* 1 if s[0..len) is well-formed UTF-8. */
int utf8_valid(const char *s, size_t len);

#endif
