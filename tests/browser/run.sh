#!/usr/bin/env bash
# The dashboard in real headless Chromium: build the demo database, start
# `pulse serve` on a free loopback port, drive the page with playwright-core
# (dashboard.mjs), save target/dashboard.png. Skips, saying why, when
# chromium, node or playwright-core is not available; never fails for that.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=tests/browser
target=${CARGO_TARGET_DIR:-target}

skip() { echo "skipped: $*"; echo "0 passed, 0 failed (browser test skipped)"; exit 0; }

chrome=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$chrome" ] && [ -x "$chrome" ] || skip "no chromium (apt-get install chromium)"
command -v node >/dev/null || skip "no node"
if [ ! -d "$here/node_modules/playwright-core" ]; then
    command -v npm >/dev/null || skip "no npm to install playwright-core"
    (cd "$here" && npm ci --no-audit --no-fund >/dev/null 2>&1) \
        || skip "playwright-core could not be installed (offline?): cd $here && npm ci"
fi

# the binary: $PULSE, else a release build, else a debug one (built if need be)
pulse=${PULSE:-}
if [ -z "$pulse" ]; then
    if [ -x "$target/release/pulse" ]; then pulse=$target/release/pulse
    else cargo build --quiet -p pulse-cli && pulse=$target/debug/pulse; fi
fi
work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$pulse" demo --db "$work/demo.db" >/dev/null 2>&1
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
"$pulse" serve --db "$work/demo.db" --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do
    curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; echo "pulse serve died"; exit 1; }
    sleep 0.2
done

mkdir -p "$target"
node "$here/dashboard.mjs" "http://127.0.0.1:$port" "$target/dashboard.png" "$chrome"
