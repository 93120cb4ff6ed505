#!/bin/sh
# Write a booklet N times longer than content/booklet.xml (default 100) to
# stdout: the article, tips and further-information parts repeated N times,
# and every reference repeated N times, with ids and keys made unique.
# A Markdown booklet (BOOKLET ending in .md, e.g. content/booklet.md) is
# lengthened the same way: the body after the front matter repeated N
# times with its {#id}s and @keys suffixed, each entry of the front
# matter's references list repeated N times with its id suffixed (what
# `make bench` gives pandoc).
# Usage: tests/make-long-booklet.sh [N] [BOOKLET] > long.xml
n=${1:-100}
src=${2:-content/booklet.xml}
case $src in
*.md) exec awk -v n="$n" '
	# suffix(TEXT, RE, I): every match of RE in TEXT followed by "-I".
	# Each turn consumes the text up to the end of its match (never
	# empty: RE is at least two characters), so the loop ends.
	function suffix(text, re, i,    out) {
		out = ""
		while (match(text, re)) {
			out = out substr(text, 1, RSTART + RLENGTH - 1) "-" i
			text = substr(text, RSTART + RLENGTH)
		}
		return out text
	}
	# the references entry read so far, N times (text before the first
	# entry, once)
	function flush(    i) {
		if (idline == "")
			printf "%s", entry
		else
			for (i = 1; i <= n; i++)
				printf "%s-%d\n%s", idline, i, entry
		idline = entry = ""
	}
	state == "" { print; if (/^references:/) state = "refs"; next }
	state == "refs" && /^- id: / { flush(); idline = $0; next }
	state == "refs" && (/^---$/ || /^[^ #-]/) { flush(); state = "meta" }
	state == "refs" { entry = entry $0 "\n"; next }
	state == "meta" { print; if (/^---$/) state = "body"; next }
	/^# References/ { next }
	{ body[++nb] = $0 }
	END {
		for (i = 1; i <= n; i++)
			for (k = 1; k <= nb; k++)
				print suffix(suffix(body[k], "[{]#[A-Za-z0-9_-]+", i),
					     "@[A-Za-z0-9_]+", i)
		print "# References"
	}
' "$src" ;;
esac
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
