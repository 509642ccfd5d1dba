#!/usr/bin/env bash
# Every test: the size budget (size-limit), the pure Rust core natively, the browser-facing Rust under
# wasm-pack in headless Chromium, then the JS suites (end to end,
# sites, robustness, demo) with node's test runner, the browser ones in each
# engine BROWSERS names (chromium, firefox and webkit by default).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh

echo "== size-limit (the shipped bytes of a Vite site that makes the plugin, gzip -9: .size-limit.json)"
node scripts/size-site.mjs
node_modules/.bin/size-limit

echo "== cargo test (pure core, native)"
cargo test --quiet

echo "== wasm-pack test (browser bindings, headless Chromium; the e2e suites run them in all three engines)"
wasm-pack test --headless --chrome -- --features std

echo "== node --test (end to end, sites, robustness, demo; browsers: ${BROWSERS:-chromium,firefox,webkit})"
node --test --test-concurrency=1 tests/
