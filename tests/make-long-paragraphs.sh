#!/bin/sh
# Write a booklet of N long paragraphs (default 14) to stdout, each running
# over a page or more, thick with hyphenatable words, links and citations:
# its A5 pages begin inside paragraphs, inside broken words and inside
# links (tests/e2e/epub-pages.sh checks the EPUB's page markers on it).
# Usage: tests/make-long-paragraphs.sh [N] > long.xml
n=${1:-14}
cat <<'X'
<?xml version="1.0" encoding="UTF-8"?>
<booklet>
  <meta>
    <title>Long paragraphs</title>
    <standfirst>Paragraphs that run over pages.</standfirst>
    <author><given>Ann</given><family>Example</family></author>
    <publisher>NCT</publisher>
    <language>en-GB</language>
    <reviewed>2020-01</reviewed>
    <identifier>long-paragraphs</identifier>
  </meta>
  <part id="article" kind="article">
    <title>Paragraphs over pages</title>
X
i=1
while [ $i -le $n ]; do
	printf '    <p>'
	k=1
	while [ $k -le $((6 + i % 5)) ]; do
		printf 'Understanding your relationship with your newborn takes patience and extraordinary encouragement, '
		printf 'as <link href="https://www.nct.org.uk/about-us">the support line of the National Childbirth Trust</link> explains '
		printf '<cite ref="nct2016 gerhardt2014"/>; responsibilities accompany unconditional affection and the interrelationship of '
		printf 'parents, grandparents and neighbourhood communities is, <em>characteristically</em>, overwhelmingly reassuring. '
		k=$((k + 1))
	done
	printf '</p>\n'
	i=$((i + 1))
done
cat <<'X'
  </part>
  <part id="references" kind="references">
    <title>References</title>
    <reference id="gerhardt2014" type="book">
      <author><family>Gerhardt</family><given>S</given></author>
      <issued>2014</issued>
      <title>Why love matters: How affection shapes a baby's brain</title>
      <publisher>Routledge</publisher>
    </reference>
    <reference id="nct2016" type="webpage">
      <author><literal>NCT</literal></author>
      <issued>2016</issued>
      <title>Difficulties with baby bonding affect third of UK mums</title>
      <URL>https://www.nct.org.uk/about-us/news-and-views/news/difficulties-baby-bonding-affect-third-uk-mums</URL>
      <accessed>2020-01-16</accessed>
    </reference>
  </part>
</booklet>
X
