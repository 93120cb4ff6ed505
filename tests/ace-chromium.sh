#!/bin/sh
# ace-chromium.sh - Debian's chromium as Ace by DAISY's browser
# (PUPPETEER_EXECUTABLE_PATH): headless, no sandbox (tests may run as
# root), and no network of its own (no updates, sync or telemetry).
exec /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic \
	--no-first-run --disable-background-networking \
	--disable-component-update --disable-sync "$@"
