#!/bin/sh
# Write a booklet N times longer than content/booklet.xml (default 100) to
# stdout: the article, tips and further-information parts repeated N times,
# and every reference repeated N times, with ids and keys made unique.
# Usage: tests/make-long-booklet.sh [N] [BOOKLET] > long.xml
n=${1:-100}
src=${2:-content/booklet.xml}
awk -v n="$n" '
	/<part / && /kind="references"/ { inrefs = 1 }
	/<part /                         { inpart = 1; body = "" }
	!inpart && !done_head            { head = head $0 "\n"; next }
	inpart                           { body = body $0 "\n" }
	/<\/part>/ {
		inpart = 0; done_head = 1
		if (inrefs) refs = body; else parts = parts body
		inrefs = 0
	}
	END {
		printf "%s", head
		for (i = 1; i <= n; i++) printf "%s", suffix(parts, i)
		# one references part holding every copy of every entry
		split(refs, lines, "\n")
		start = ""; entries = ""; inref = 0
		for (k = 1; k in lines; k++) {
			l = lines[k]
			if (l ~ /<reference /) inref = 1
			if (inref) entries = entries l "\n"
			else if (l !~ /<\/part>/ && l != "") start = start l "\n"
			if (l ~ /<\/reference>/) inref = 0
		}
		printf "%s", start
		for (i = 1; i <= n; i++) printf "%s", suffix(entries, i)
		print "  </part>"
		print "</booklet>"
	}
	function suffix(text, i,    out, m, keys, nk, j, r) {
		out = ""
		while (match(text, /(id|ref)="[^"]*"/)) {
			m = substr(text, RSTART, RLENGTH)
			out = out substr(text, 1, RSTART - 1)
			text = substr(text, RSTART + RLENGTH)
			sub(/"$/, "", m)
			split(m, kv, "=\"")
			nk = split(kv[2], keys, " ")
			r = kv[1] "=\""
			for (j = 1; j <= nk; j++) r = r (j > 1 ? " " : "") keys[j] "-" i
			out = out r "\""
		}
		return out text
	}
' "$src"
