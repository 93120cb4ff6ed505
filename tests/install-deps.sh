#!/bin/sh
# Install the Debian packages named in $DEBS that are missing: with apt-get
# when run as root, otherwise print the exact command and fail.
missing=""
for p in $DEBS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
else
	echo "missing Debian packages; run:"
	echo "  sudo apt-get install -y$missing"
	exit 1
fi
