#!/bin/sh
# pdf_flat_text.sh TEXT SOURCE... - the text pdftotext extracted from a
# chapbook PDF (the file TEXT) as one long line, for tests that look for
# whole sentences in it. The words of every line break are joined as
# chapbook marks them in the text layer: a hyphen added by line breaking
# extracts as a soft hyphen (U+00AD), dropped with its line break
# ("isol-|ation" is "isolation"); a real hyphen ending a line extracts as
# U+2010, which joins its compound as "-" ("baby-|bonding" is
# "baby-bonding"); a URL broken across lines (chapbook breaks URLs as the
# Chicago Manual says, or between syllables as a last resort, never adding
# a hyphen) joins with nothing where the line's last word and the next
# line's first word are, together, part of one of the URLs written in the
# SOURCE files (the booklet, its bibliography); any other line break is a
# space; whitespace collapsed. Nothing else is forgiven: an ASCII hyphen
# ending a line (an added hyphen not marked, or a real one that viewers
# would take for an added one) is left as it is, with a space after it.
text=$1
shift
# (a JSON bibliography may write "/" as "\/")
grep -h -o 'https\{0,1\}://[^<>" )]*' "$@" 2>/dev/null | sed 's|\\/|/|g' | sort -u |
LC_ALL=C awk -v shy="$(printf '\302\255')" -v hy="$(printf '\342\200\220')" '
function ends(s, t) { return length(s) >= length(t) && substr(s, length(s) - length(t) + 1) == t }
function in_url(a, b,   k) {
	sub(/^.*[ (]/, "", a); sub(/[ ].*$/, "", b); sub(/[).,;:]+$/, "", b)
	if (a == "" || b == "") return 0
	for (k = 1; k <= nurl; k++) if (index(url[k], a b)) return 1
	return 0
}
FNR == NR { url[++nurl] = $0; next }
{ line[++n] = $0 }
END {
	for (i = 1; i <= n; i++) {
		s = line[i]; next_line = i < n ? line[i + 1] : ""
		if (ends(s, shy)) printf "%s", substr(s, 1, length(s) - length(shy))
		else if (ends(s, hy)) printf "%s-", substr(s, 1, length(s) - length(hy))
		else if (in_url(s, next_line)) printf "%s", s
		else printf "%s ", s
	}
}' - "$text" | tr -s ' \t\f' '   '
