#!/bin/sh
# Write the hostile-input booklets into DIR (generated at test time, never
# committed: they are megabytes). Each once took seconds to minutes to check
# because some step was quadratic; tests/e2e/slow.sh runs them under a hang
# guard and `make bench` times them.
#   many-em.xml     40,000 <em>a</em> on one line (column tracking)
#   many-keys.xml   one <cite> naming 32,000 keys (duplicate-key search)
#   many-refs.xml   50,000 references, each cited (100 to a paragraph)
#                   (schema, sorting, the bibliography)
#   many-unknown.xml 20,000 unknown keys against 5,000 references ("did
#                   you mean" suggestions)
#   many-amp.xml    50,000 bare '&' on one line, after accented letters
#                   (each slip's column, and the scan of what precedes it)
# Usage: tests/bad/slow/make.sh DIR
dir=${1:?usage: make.sh DIR}
mkdir -p "$dir" || exit 2

head() { # $1: the body part's content
	cat <<HEAD
<?xml version="1.0" encoding="UTF-8"?>
<booklet>
  <meta>
    <title>Hostile input</title>
    <standfirst>A generated booklet.</standfirst>
    <author><given>Ann</given><family>Author</family></author>
    <publisher>NCT</publisher>
    <language>en-GB</language>
    <reviewed>2020-01</reviewed>
    <identifier>hostile</identifier>
  </meta>
  <part kind="article" id="article">
    <title>Article</title>
HEAD
}
refs_part() { # $1: number of references k1..kN
	echo '  <part kind="references" id="references">'
	echo '    <title>References</title>'
	awk -v n="$1" 'BEGIN {
		for (i = 1; i <= n; i++)
			printf "    <reference id=\"k%d\" type=\"book\"><author><family>Author%d</family><given>A</given></author><issued>%d</issued><title>Title %d</title><publisher>P</publisher></reference>\n", i, (i * 7919) % n, 1900 + i % 120, i
	}'
	echo '  </part>'
	echo '</booklet>'
}

{
	head
	printf '    <p>'
	awk 'BEGIN { for (i = 0; i < 40000; i++) printf "<em>a</em> "; }'
	printf '<cite ref="k1"/></p>\n  </part>\n'
	refs_part 1
} >"$dir/many-em.xml"

{
	head
	printf '    <p>Many keys <cite ref="'
	awk 'BEGIN { for (i = 1; i <= 32000; i++) printf "k%d ", i % 2 + 1; }'
	printf '"/>.</p>\n  </part>\n'
	refs_part 2
} >"$dir/many-keys.xml"

{
	head
	awk 'BEGIN { for (i = 0; i < 500; i++) {
		printf "    <p>Claim %d <cite ref=\"", i
		for (k = 1; k <= 100; k++) printf "k%d ", i * 100 + k
		printf "\"/>.</p>\n" } }'
	printf '  </part>\n'
	refs_part 50000
} >"$dir/many-refs.xml"

{
	head
	printf '    <p>Unknown keys <cite ref="k1 '
	awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "u%d ", i; }'
	printf '"/>.</p>\n'
	awk 'BEGIN { for (i = 2; i <= 5000; i++) printf "    <p>Claim <cite ref=\"k%d\"/>.</p>\n", i; }'
	printf '  </part>\n'
	refs_part 5000
} >"$dir/many-unknown.xml"

{
	head
	printf '    <p>'
	awk 'BEGIN { for (i = 0; i < 50000; i++) printf "\303\251 & "; }'
	printf '<cite ref="k1"/></p>\n  </part>\n'
	refs_part 1
} >"$dir/many-amp.xml"
