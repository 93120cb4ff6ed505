/* args.c - commands and options: the table, parsing, --help (see
 * args.h). Prints usage errors itself (the only printing here) and
 * never exits. */
#include "cli/args.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "doc/check.h"

enum { RUNS = CMD_BUILD | CMD_WATCH, ALL = CMD_CHECK | RUNS | CMD_NEW };

typedef enum opt_id {
	O_HELP, O_QUIET, O_VERBOSE, O_STRICT, O_META, O_EPUB, O_PDF, O_FORMAT,
	O_OUTPUT, O_STYLES, O_FONTS, O_SHEET, O_CREEP, O_CROP_MARKS, O_BLEED,
	O_TEST_SHEET, O_PRINT, O_DUMP_LAYOUT, O_XML, O_MARKDOWN
} opt_id;

typedef struct opt_def {
	opt_id id;
	const char *name;        /* long name, without "--" */
	char short_name;         /* 0: none */
	const char *value;       /* NULL: a switch; else the value's name */
	unsigned commands;       /* the commands it applies to */
	const char *help;
} opt_def;

/* Every option, in the order --help lists them. */
static const opt_def opts[] = {
	{O_OUTPUT, "output", 'o', "DIR", RUNS,
	 "write the outputs into DIR, created if missing (default: out)"},
	{O_EPUB, "epub", 0, NULL, RUNS, "build the EPUB"},
	{O_PDF, "pdf", 0, NULL, RUNS, "build the A5 PDF (the same as --format a5)"},
	{O_FORMAT, "format", 0, "LIST", RUNS,
	 "build the outputs in LIST, comma-separated: epub, a5, booklet, "
	 "handout, or all (the default when no format is given)"},
	{O_STRICT, "strict", 0, NULL, CMD_CHECK | RUNS,
	 "treat warnings as errors (for CI)"},
	{O_META, "meta", 0, NULL, CMD_CHECK,
	 "after a clean check, print the booklet's identifier, review date "
	 "and title on standard output, one 'key: value' a line"},
	{O_STYLES, "styles", 0, "DIR", RUNS,
	 "take the style files from DIR only (default: styles/ beside the "
	 "booklet, then the installed styles; see chapbook(1))"},
	{O_FONTS, "fonts", 0, "DIR", RUNS,
	 "take the fonts from DIR only (default: fonts/ beside the booklet, "
	 "then the installed fonts)"},
	{O_SHEET, "sheet", 0, "NAME", RUNS,
	 "paper for the imposed booklet and the handout: a4 or letter, in "
	 "any case (default: the style's print-sheet, else a4; the "
	 "handout's page size)"},
	{O_CREEP, "creep", 0, "MM", RUNS,
	 "move the pages of each inner sheet toward the fold by MM "
	 "millimetres per sheet, 0 to 5"},
	{O_CROP_MARKS, "crop-marks", 0, NULL, RUNS,
	 "fold and trim marks on the imposed booklet, crop marks on the A5 PDF"},
	{O_BLEED, "bleed", 0, NULL, RUNS,
	 "3 mm bleed on every side of the A5 PDF, with TrimBox and BleedBox"},
	{O_TEST_SHEET, "test-sheet", 0, NULL, RUNS,
	 "impose only sheet 1, labelled, for a trial print, into its own "
	 "file (...-booklet-a4-test.pdf)"},
	{O_PRINT, "print", 0, NULL, RUNS,
	 "write the files for a print shop instead: the A5 and the imposed "
	 "booklet as PDF/X-4 (CMYK inks from the style, FOGRA39, 3 mm bleed, "
	 "crop marks, no links), named -a5-print.pdf and "
	 "-booklet-a4-print.pdf"},
	{O_DUMP_LAYOUT, "dump-layout", 0, NULL, RUNS,
	 "print the laid-out pages as text on standard output"},
	{O_XML, "xml", 0, NULL, CMD_NEW, "write the starter booklet in XML"},
	{O_MARKDOWN, "markdown", 0, NULL, CMD_NEW,
	 "write the starter booklet in Markdown (the default)"},
	{O_QUIET, "quiet", 'q', NULL, ALL,
	 "print only diagnostics, not the files written or the time taken"},
	{O_VERBOSE, "verbose", 'v', NULL, ALL,
	 "also say where each style and the fonts were found and how long "
	 "each step took"},
	{O_HELP, "help", 'h', NULL, ALL, "show this help and exit"},
};
#define NOPTS (sizeof opts / sizeof opts[0])

static const struct {
	args_command cmd;
	const char *name, *operand, *summary;
} commands[] = {
	{CMD_CHECK, "check", "[BOOKLET...]",
	 "Check the booklet: the schema, then its meaning (citations, ids, "
	 "references, links, dates). Prints nothing when it is clean."},
	{CMD_BUILD, "build", "[BOOKLET...]",
	 "Check the booklet, then write its EPUB and print PDFs into the "
	 "output directory: all of them or, on any failure, none. Several "
	 "booklets are built in one run, side by side on the machine's cores, "
	 "each all or nothing on its own: a bad one does not stop the "
	 "others, and the exit code is the worst of theirs."},
	{CMD_NEW, "new", "DIR",
	 "Write a starter booklet into DIR (created if missing) that shows "
	 "every feature with a comment each and builds as it is."},
	{CMD_WATCH, "watch", "[BOOKLET]",
	 "Build, then build again whenever the booklet, its styles or its "
	 "fonts are saved, saying what changed and what failed. Ctrl-C stops."},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

const char *args_command_name(args_command cmd)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (commands[i].cmd == cmd)
			return commands[i].name;
	return "chapbook";
}

/* ---- help --------------------------------------------------------------- */

/* Write text from column col, wrapped at 79 columns, continuation lines
 * indented by indent. */
static void put_wrapped(const char *text, int col, int indent, FILE *f)
{
	const char *p = text;
	while (*p) {
		size_t word = strcspn(p, " ");
		if (col > indent && col + 1 + (int)word > 79) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, word, f);
		col += (int)word;
		p += word;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

static void put_option(const opt_def *o, FILE *f)
{
	char left[64];
	if (o->short_name)
		snprintf(left, sizeof left, "  -%c, --%s%s%s", o->short_name,
			 o->name, o->value ? " " : "", o->value ? o->value : "");
	else
		snprintf(left, sizeof left, "      --%s%s%s", o->name,
			 o->value ? " " : "", o->value ? o->value : "");
	fputs(left, f);
	int col = (int)strlen(left);
	if (col >= 24) {
		fprintf(f, "\n%24s", "");
		col = 24;
	} else {
		fprintf(f, "%*s", 24 - col, "");
		col = 24;
	}
	put_wrapped(o->help, col, 24, f);
}

static void help_overview(FILE *f)
{
	fputs("usage: chapbook COMMAND [OPTIONS] [BOOKLET]\n"
	      "\n"
	      "Turn one booklet source into an EPUB 3 and print-ready PDFs.\n"
	      "\n"
	      "commands:\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		fprintf(f, "  %-6s  ", commands[i].name);
		put_wrapped(commands[i].summary, 10, 10, f);
	}
	fputs("  help    Show the help of a command: chapbook help build.\n"
	      "\n"
	      "options:\n"
	      "  -h, --help            show this help (chapbook COMMAND --help: "
	      "a command's)\n"
	      "      --version         print the version and exit\n"
	      "\n"
	      "BOOKLET defaults to " ARGS_DEFAULT_BOOKLET ". Exit status: 0 "
	      "success, 1 errors in\n"
	      "the booklet or a style, 2 a usage or I/O error, 3 out of memory "
	      "or an\n"
	      "internal error. More in chapbook(1).\n", f);
}

void args_help(args_command cmd, FILE *f)
{
	size_t c = 0;
	while (c < NCOMMANDS && commands[c].cmd != cmd)
		c++;
	if (c == NCOMMANDS) {
		help_overview(f);
		return;
	}
	fprintf(f, "usage: chapbook %s [OPTIONS] %s\n\n", commands[c].name,
		commands[c].operand);
	put_wrapped(commands[c].summary, 0, 0, f);
	if (cmd != CMD_NEW)
		fputs("BOOKLET defaults to " ARGS_DEFAULT_BOOKLET ".\n", f);
	fputs("\noptions:\n", f);
	for (size_t i = 0; i < NOPTS; i++)
		if (opts[i].commands & cmd)
			put_option(&opts[i], f);
}

/* ---- parsing ------------------------------------------------------------ */

/* "chapbook: error: ..." and where to look next. Returns -1. */
static int usage_error(FILE *err, args_command cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int usage_error(FILE *err, args_command cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("chapbook: error: ", err);
	vfprintf(err, fmt, ap);
	va_end(ap);
	if (cmd & (CMD_CHECK | CMD_BUILD | CMD_WATCH | CMD_NEW))
		fprintf(err, "\nchapbook: see 'chapbook %s --help'\n",
			args_command_name(cmd));
	else
		fputs("\nchapbook: see 'chapbook --help'\n", err);
	return -1;
}

static int parse_formats(const char *s, unsigned *out)
{
	static const struct {
		const char *name;
		unsigned bits;
	} names[] = {{"epub", OUT_EPUB}, {"a5", OUT_A5}, {"pdf", OUT_A5},
		     {"booklet", OUT_BOOKLET}, {"handout", OUT_HANDOUT},
		     {"all", OUT_ALL}};
	while (*s) {
		size_t n = strcspn(s, ",");
		size_t i = 0;
		while (i < sizeof names / sizeof names[0] &&
		       !(strlen(names[i].name) == n &&
			 !strncasecmp(s, names[i].name, n)))
			i++;
		if (i == sizeof names / sizeof names[0])
			return -1;
		*out |= names[i].bits;
		s += n;
		if (*s == ',')
			s++;
	}
	return 0;
}

/* Apply option o with its value (NULL for a switch). 0, or -1 after
 * printing why. */
static int apply(args *a, const opt_def *o, const char *v, FILE *err)
{
	char *end;
	switch (o->id) {
	case O_HELP:
		a->help_for = a->cmd;
		break;
	case O_QUIET: a->quiet = 1; break;
	case O_VERBOSE: a->verbose = 1; break;
	case O_STRICT: a->strict = 1; break;
	case O_META: a->meta = 1; break;
	case O_EPUB: a->formats |= OUT_EPUB; break;
	case O_PDF: a->formats |= OUT_A5; break;
	case O_FORMAT:
		if (parse_formats(v, &a->formats) != 0)
			return usage_error(err, a->cmd, "unknown format in '%s' "
					   "(formats: epub, a5, booklet, handout, "
					   "all)", v);
		break;
	case O_OUTPUT: a->outdir = v; break;
	case O_STYLES: a->styles = v; break;
	case O_FONTS: a->fonts = v; break;
	case O_SHEET:
		if (!strcasecmp(v, "a4"))
			a->sheet = "a4";
		else if (!strcasecmp(v, "letter"))
			a->sheet = "letter";
		else
			return usage_error(err, a->cmd, "--sheet takes a4 or "
					   "letter, not '%s'", v);
		break;
	case O_CREEP:
		a->creep_mm = strtod(v, &end);
		if (end == v || (*end && strcasecmp(end, "mm")) ||
		    !(a->creep_mm >= 0 && a->creep_mm <= 5))
			return usage_error(err, a->cmd, "--creep takes "
					   "millimetres from 0 to 5, not '%s'",
					   v);
		a->creep_set = 1;
		break;
	case O_CROP_MARKS: a->crop_marks = 1; break;
	case O_BLEED: a->bleed = 1; break;
	case O_TEST_SHEET: a->test_sheet = 1; break;
	case O_PRINT: a->print = 1; break;
	case O_DUMP_LAYOUT: a->dump_layout = 1; break;
	case O_XML: a->xml = 1; break;
	case O_MARKDOWN: a->xml = 0; break;
	}
	return 0;
}

/* The option named name (len bytes; a long name, or one letter when
 * is_short), or NULL. */
static const opt_def *find_opt(const char *name, size_t len, int is_short)
{
	for (size_t i = 0; i < NOPTS; i++) {
		if (is_short ? opts[i].short_name == name[0]
			     : strlen(opts[i].name) == len &&
				       !strncmp(opts[i].name, name, len))
			return &opts[i];
	}
	return NULL;
}

/* An option that does not exist here: say so, with a guess. */
static int unknown_option(args *a, const char *word, size_t len, FILE *err)
{
	const char *near = NULL;
	int best = 3;
	char name[64];
	snprintf(name, sizeof name, "%.*s", (int)(len < 60 ? len : 60), word);
	for (size_t i = 0; i < NOPTS; i++) {
		if (!(opts[i].commands & a->cmd))
			continue;
		int d = check_edit_distance(name + 2, opts[i].name, 2);
		if (len > 2 && name[1] == '-' && d < best)
			best = d, near = opts[i].name;
	}
	if (near)
		return usage_error(err, a->cmd, "unknown option '%s'; did you "
				   "mean '--%s'?", name, near);
	return usage_error(err, a->cmd, "unknown option '%s'", name);
}

/* The option exists but not for this command. */
static int misplaced_option(args *a, const opt_def *o, FILE *err)
{
	char name[64];
	snprintf(name, sizeof name, "--%s", o->name);
	fprintf(err, "chapbook: error: option '%s' does not apply to '%s'\n"
		"chapbook: see 'chapbook %s --help'\n", name,
		args_command_name(a->cmd), args_command_name(a->cmd));
	return -1;
}

/* One "--name", "--name=value" or "--name value" at argv[*i]. */
static int parse_long(args *a, int argc, char **argv, int *i, FILE *err)
{
	const char *word = argv[*i];
	const char *eq = strchr(word, '=');
	size_t len = eq ? (size_t)(eq - word) : strlen(word);
	const opt_def *o = find_opt(word + 2, len - 2, 0);
	if (!o)
		return unknown_option(a, word, len, err);
	if (!(o->commands & a->cmd))
		return misplaced_option(a, o, err);
	if (!o->value && eq)
		return usage_error(err, a->cmd, "option '--%s' takes no value",
				   o->name);
	const char *v = NULL;
	if (o->value) {
		if (eq)
			v = eq + 1;
		else if (*i + 1 < argc)
			v = argv[++*i];
		else
			return usage_error(err, a->cmd, "option '--%s' needs a "
					   "value (%s)", o->name, o->value);
	}
	return apply(a, o, v, err);
}

/* A cluster of short options at argv[*i]: "-qv", "-o DIR", "-oDIR". */
static int parse_short(args *a, int argc, char **argv, int *i, FILE *err)
{
	const char *word = argv[*i];
	for (const char *p = word + 1; *p; p++) {
		const opt_def *o = find_opt(p, 1, 1);
		if (!o) {
			char name[3] = {'-', *p, 0};
			return usage_error(err, a->cmd, "unknown option '%s'",
					   name);
		}
		if (!(o->commands & a->cmd))
			return misplaced_option(a, o, err);
		if (!o->value) {
			if (apply(a, o, NULL, err) != 0)
				return -1;
			continue;
		}
		const char *v = p[1] ? p + 1 : *i + 1 < argc ? argv[++*i] : NULL;
		if (!v)
			return usage_error(err, a->cmd, "option '-%s' needs a "
					   "value (%s)", (char[]){*p, 0}, o->value);
		return apply(a, o, v, err);
	}
	return 0;
}

/* The command word: a command's name, help or --version. */
static int parse_command(args *a, int argc, char **argv, FILE *err)
{
	const char *w = argv[1];
	if (!strcmp(w, "--help") || !strcmp(w, "-h") || !strcmp(w, "help")) {
		a->cmd = CMD_HELP;
		if (!strcmp(w, "help") && argc > 2) {
			for (size_t i = 0; i < NCOMMANDS; i++)
				if (!strcmp(argv[2], commands[i].name))
					a->help_for = commands[i].cmd;
			if (!a->help_for)
				return usage_error(err, CMD_NONE, "no help for '%s'; "
						   "commands: check, build, new, "
						   "watch", argv[2]);
		}
		return 0;
	}
	if (!strcmp(w, "--version")) {
		a->cmd = CMD_VERSION;
		return 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(w, commands[i].name)) {
			a->cmd = commands[i].cmd;
			return 0;
		}
	if (w[0] == '-')
		return usage_error(err, CMD_NONE, "'%s' before a command; "
				   "commands: check, build, new, watch", w);
	fprintf(err, "chapbook: error: unknown command '%s'; commands: check, "
		"build, new, watch\n", w);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (check_edit_distance(w, commands[i].name, 2) <= 2) {
			fprintf(err, "hint: did you mean '%s'?\n", commands[i].name);
			break;
		}
	return -1;
}

/* Defaults, and the checks that need every option seen. */
static int finish(args *a, FILE *err)
{
	if (a->quiet && a->verbose)
		return usage_error(err, a->cmd, "--quiet and --verbose "
				   "contradict each other");
	if (a->cmd == CMD_NEW && !a->booklet)
		return usage_error(err, a->cmd, "'new' needs a directory: "
				   "chapbook new DIR");
	if (!a->booklet)
		a->booklet = ARGS_DEFAULT_BOOKLET;
	if (!a->nbooklets)
		a->booklets[a->nbooklets++] = a->booklet;
	if (!a->outdir)
		a->outdir = "out";
	if (a->print && (a->formats & (OUT_EPUB | OUT_HANDOUT)))
		return usage_error(err, a->cmd, "--print writes the print-shop "
				   "PDFs, a5 and booklet; the EPUB and the "
				   "handout have none");
	if (a->print && a->test_sheet)
		return usage_error(err, a->cmd, "--test-sheet is for printing "
				   "at home; a print shop gets the whole booklet "
				   "(leave out --print or --test-sheet)");
	if (!a->formats)
		a->formats = a->print ? OUT_A5 | OUT_BOOKLET : OUT_ALL;
	return 0;
}

int args_parse(int argc, char **argv, args *a, FILE *err)
{
	memset(a, 0, sizeof *a);
	if (argc < 2) {
		help_overview(err);
		return -1;
	}
	if (parse_command(a, argc, argv, err) != 0)
		return -1;
	if (a->cmd == CMD_HELP || a->cmd == CMD_VERSION)
		return 0;
	int only_operands = 0;
	a->booklets = xmalloc((size_t)argc * sizeof *a->booklets);
	for (int i = 2; i < argc; i++) {
		const char *w = argv[i];
		int rc = 0;
		if (!only_operands && !strcmp(w, "--"))
			only_operands = 1;
		else if (!only_operands && !strncmp(w, "--", 2))
			rc = parse_long(a, argc, argv, &i, err);
		else if (!only_operands && w[0] == '-' && w[1])
			rc = parse_short(a, argc, argv, &i, err);
		else if (a->booklet && !(a->cmd & (CMD_CHECK | CMD_BUILD)))
			rc = usage_error(err, a->cmd, "more than one %s given: "
					 "'%s'", a->cmd == CMD_NEW ? "directory"
					 : "booklet", w);
		else if (!a->booklet)
			a->booklet = a->booklets[a->nbooklets++] = w;
		else
			a->booklets[a->nbooklets++] = w;
		if (rc != 0) {
			args_free(a);
			return -1;
		}
	}
	if (a->help_for) {
		a->cmd = CMD_HELP;
		return 0;
	}
	if (finish(a, err) != 0) {
		args_free(a);
		return -1;
	}
	return 0;
}

void args_free(args *o)
{
	free(o->booklets);
	o->booklets = NULL;
	o->nbooklets = 0;
}
