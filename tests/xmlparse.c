/* xmlparse.c - `make bench`'s yardstick for `chapbook check`: a process
 * that only reads an XML file and parses it with libxml2, with the options
 * chapbook's loader uses (source/load.c), linked the way build/chapbook is,
 * and does nothing else. Exit 0 when well-formed, 1 when not.
 * Usage: xmlparse FILE */
#include <stdio.h>

#include <libxml/parser.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: xmlparse FILE\n", stderr);
		return 2;
	}
	xmlDocPtr x = xmlReadFile(argv[1], NULL,
				  XML_PARSE_NONET | XML_PARSE_BIG_LINES |
				  XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
	if (!x)
		return 1;
	xmlFreeDoc(x);
	return 0;
}
