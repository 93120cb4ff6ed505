/* starter.c - `chapbook new` (see starter.h). */
#include "cli/starter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/diag.h"
#include "base/mem.h"
#include "base/outfile.h"

#define STARTER_ID "my-booklet"

/* An identifier from the last component of dir: lower-case letters and
 * digits, runs of anything else as one '-'. Empty when none is left. */
static void slug_of(const char *dir, char *out, size_t cap)
{
	size_t end = strlen(dir);
	while (end > 1 && dir[end - 1] == '/')
		end--;
	size_t start = end;
	while (start > 0 && dir[start - 1] != '/')
		start--;
	size_t n = 0;
	for (size_t i = start; i < end && n + 1 < cap; i++) {
		char c = dir[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[n++] = c;
		else if (n > 0 && out[n - 1] != '-')
			out[n++] = '-';
	}
	while (n > 0 && out[n - 1] == '-')
		n--;
	out[n] = '\0';
}

char *starter_text(const char *starter, const char *dir)
{
	char id[65];
	slug_of(dir, id, sizeof id);
	if (!*id)
		return xstrdup(starter);
	size_t idlen = strlen(id), keylen = strlen(STARTER_ID), count = 0;
	for (const char *p = starter; (p = strstr(p, STARTER_ID)); p += keylen)
		count++;
	char *out = xmalloc(strlen(starter) + count * idlen + 1);
	char *w = out;
	const char *p = starter, *hit;
	while ((hit = strstr(p, STARTER_ID))) {
		memcpy(w, p, (size_t)(hit - p));
		w += hit - p;
		memcpy(w, id, idlen);
		w += idlen;
		p = hit + keylen;
	}
	strcpy(w, p);
	return out;
}

/* 1 if dir already holds a booklet of either kind (named in *which). */
static int has_booklet(const char *dir, char *which, size_t cap)
{
	static const char *names[] = {"booklet.md", "booklet.xml"};
	for (size_t i = 0; i < 2; i++) {
		struct stat sb;
		snprintf(which, cap, "%s/%s", dir, names[i]);
		if (lstat(which, &sb) == 0)
			return 1;
	}
	return 0;
}

/* path as the shell wants it: in single quotes when it holds anything but
 * letters, digits and "/._-". */
static void put_shell_word(const char *path, FILE *f)
{
	if (path[strspn(path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			     "0123456789/._-")] == '\0') {
		fputs(path, f);
		return;
	}
	fputc('\'', f);
	for (const char *p = path; *p; p++)
		if (*p == '\'')
			fputs("'\\''", f);
		else
			fputc(*p, f);
	fputc('\'', f);
}

int starter_run(const args *o)
{
	const char *dir = o->booklet;
	char path[4096], existing[4096];
	snprintf(path, sizeof path, "%s/booklet.%s", dir, o->xml ? "xml" : "md");
	diag_list dg = {0};
	if (has_booklet(dir, existing, sizeof existing)) {
		diag_io(&dg, existing, "already exists; 'chapbook new' never "
			"writes over a booklet");
		diag_hint(&dg, "choose another directory: chapbook new DIR");
	} else if (outfile_mkdirs(dir, &dg) == 0) {
		char *text = starter_text(o->xml ? starter_xml : starter_md, dir);
		outfile_write(path, text, strlen(text), &dg);
		free(text);
	}
	int code = diag_exit_code(&dg, 0);
	diag_report(&dg, 0, stderr);
	diag_free(&dg);
	if (code == 0 && !o->quiet) {
		fprintf(stderr, "chapbook: wrote %s\nchapbook: next: chapbook "
			"build ", path);
		put_shell_word(path, stderr);
		fputc('\n', stderr);
	}
	return code;
}
