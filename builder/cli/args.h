/* args.h - the command line's words: commands, options (one table that
 * also writes --help), and parsing them the conventional way: --opt=value
 * or --opt value, -o DIR or -oDIR, bundled switches (-qv), options before
 * or after the booklet, "--" ending the options. */
#ifndef CHAPBOOK_ARGS_H
#define CHAPBOOK_ARGS_H

#include <stdio.h>

#define CHAPBOOK_VERSION "0.1.0"

/* Commands, as bits so that an option can name the ones it applies to. */
typedef enum args_command {
	CMD_NONE = 0,
	CMD_CHECK = 1,
	CMD_BUILD = 2,
	CMD_WATCH = 4,
	CMD_NEW = 8,
	CMD_HELP = 16,     /* chapbook help [COMMAND], chapbook --help */
	CMD_VERSION = 32
} args_command;

/* Outputs, as bits. */
enum {
	OUT_EPUB = 1, OUT_A5 = 2, OUT_BOOKLET = 4, OUT_HANDOUT = 8,
	OUT_ALL = 15
};

typedef struct args {
	args_command cmd;
	args_command help_for;   /* CMD_HELP: the command asked about (or 0) */
	const char *booklet;     /* the first booklet; new: the directory */
	const char **booklets;   /* check, build: every booklet given, in
				    order (nbooklets >= 1; args_free) */
	size_t nbooklets;
	const char *outdir;
	const char *styles, *fonts;
	unsigned formats;
	int strict, dump_layout, meta;
	int quiet, verbose;
	int xml;                 /* new --xml */
	/* print options (override the style's) */
	const char *sheet;       /* "a4" or "letter", lower case */
	double creep_mm;
	int creep_set;
	int crop_marks, bleed, test_sheet;
	int print;               /* the print-shop PDFs (PDF/X-4) instead */
} args;

/* The booklet when none is given. */
#define ARGS_DEFAULT_BOOKLET "content/booklet.xml"

/* Parse argv into o (defaults filled in). Returns 0, or -1 after printing
 * "chapbook: error: ..." and where to find help to err. check and build
 * take several booklets, watch and new one. */
int args_parse(int argc, char **argv, args *o, FILE *err);

/* Free what args_parse allocated in o. */
void args_free(args *o);

/* The help text: of one command, or the overview for CMD_NONE. */
void args_help(args_command cmd, FILE *f);

/* Command name ("build") of a command bit. */
const char *args_command_name(args_command cmd);

#endif
