/* main.c - the chapbook command line: parse the words (cli/args), then
 * hand over to the command: check or build (cli/run), watch (cli/watch),
 * new (cli/starter). Holds no logic of its own. */
#include <stdio.h>
#include <stdlib.h>

#include <libxml/parser.h>
#include <libxml/xmlmemory.h>

#include "base/mem.h"
#include "base/outfile.h"
#include "cli/args.h"
#include "cli/run.h"
#include "cli/starter.h"
#include "cli/watch.h"

enum { EXIT_USAGE = 2 };

int main(int argc, char **argv)
{
	/* the allocator tuned, one way out when memory runs out, signals
	 * that clean up */
	mem_setup();
	xmlMemSetup(free, xmalloc, xrealloc, xstrdup);
	/* libxml2 set up once, before check and build read booklets on
	 * several threads */
	xmlInitParser();
	outfile_catch_signals();
	args o;
	if (args_parse(argc, argv, &o, stderr) != 0)
		return EXIT_USAGE;
	int rc = 0;
	switch (o.cmd) {
	case CMD_VERSION:
		puts("chapbook " CHAPBOOK_VERSION);
		break;
	case CMD_HELP:
		args_help(o.help_for, stdout);
		break;
	case CMD_NEW:
		rc = starter_run(&o);
		break;
	case CMD_WATCH:
		rc = watch_run(&o);
		break;
	default:
		rc = run_once(&o);
		break;
	}
	args_free(&o);
	return rc;
}
