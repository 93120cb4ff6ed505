#!/bin/sh
# Write content/booklet.xml (or BOOKLET) to stdout with one paragraph of
# about MB megabytes (default 5) added before the article's first
# paragraph: the booklet's own words in a fixed pseudo-random order, so
# hyphenation and kerning see real text. For `make bench`'s memory target.
# Usage: tests/make-big-paragraph.sh [MB] [BOOKLET] > big.xml
mb=${1:-5}
src=${2:-content/booklet.xml}
awk -v bytes="$((mb * 1024 * 1024))" '
	{ lines[NR] = $0 }
	/<p>/ && !first { first = NR }
	END {
		# words: letters only, taken from the text outside tags
		for (i = 1; i <= NR; i++) {
			t = lines[i]
			gsub(/<[^>]*>/, " ", t)
			n = split(t, w, /[^A-Za-z]+/)
			for (k = 1; k <= n; k++)
				if (w[k] != "") words[nw++] = w[k]
		}
		for (i = 1; i < first; i++) print lines[i]
		printf "    <p>"
		seed = 1; size = 0
		while (size < bytes) {
			seed = (seed * 69069 + 1) % 4294967296
			word = words[int(seed / 65536) % nw]
			printf "%s ", word
			size += length(word) + 1
		}
		print "end.</p>"
		for (i = first; i <= NR; i++) print lines[i]
	}
' "$src"
