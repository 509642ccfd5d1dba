#!/usr/bin/env bash
# Builds the shipped files: pkg/convertro.js (wasm-bindgen's glue) and
# pkg/convertro_bg.wasm (optimised with a current wasm-opt from npm's binaryen).
# Run scripts/setup.sh first on a fresh machine (npm test / npm start do).
set -euo pipefail
cd "$(dirname "$0")/.."

# The shipped build's compiler flags (scripts/sizes.sh builds its variants
# with the same ones):
# - a 64 KiB stack instead of 1 MiB: the rules recurse at most a few levels,
#   and a smaller initial memory is less to allocate on every page view;
# - LLVM inlines only where a call would cost more code than the callee
#   (inline threshold 0) and unrolls no loops: measured 8 % smaller gzip than
#   its defaults at opt-level 3, per event within noise (bench/results.md).
export CONVERTRO_RUSTFLAGS="${CONVERTRO_RUSTFLAGS:--C link-arg=-zstack-size=65536 -C llvm-args=-inline-threshold=0 -C llvm-args=-unroll-threshold=0}"
RUSTFLAGS="$CONVERTRO_RUSTFLAGS" cargo build --release --target wasm32-unknown-unknown --lib --quiet --target-dir target/ship
# Built in pkg.next/ and moved into place at the end, so pkg/ always holds
# a glue and a wasm that belong together (a page or test reading it during a
# build never sees half of one and half of the other).
rm -rf pkg.next
wasm-bindgen target/ship/wasm32-unknown-unknown/release/convertro.wasm \
  --target web --out-dir pkg.next --out-name convertro --no-typescript --omit-default-module-path
# Debian's wasm-opt is too old for reference types: always use the npm one.
node_modules/.bin/wasm-opt pkg.next/convertro_bg.wasm -Oz --strip-debug --strip-producers \
  --enable-reference-types --enable-bulk-memory --enable-multivalue --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-sign-ext \
  -o pkg.next/convertro_bg.wasm
node scripts/minify-names.mjs pkg.next/convertro_bg.wasm pkg.next/convertro.js
# Minified, so that a site without a bundler downloads 3 KB of glue, not 7.
node_modules/.bin/esbuild pkg.next/convertro.js --minify --format=esm --log-level=warning --outfile=pkg.next/convertro.min.js
mv pkg.next/convertro.min.js pkg.next/convertro.js
rm -rf pkg.old
[ -d pkg ] && mv pkg pkg.old
mv pkg.next pkg
rm -rf pkg.old
# The classic-script build for pages that use Segment's snippet (wasm inlined).
node scripts/build-standalone.mjs
echo "built pkg/: $(wc -c < pkg/convertro_bg.wasm) bytes wasm ($(gzip -9c pkg/convertro_bg.wasm | wc -c) gzip), $(wc -c < pkg/convertro.js) bytes glue ($(gzip -9c pkg/convertro.js | wc -c) gzip)"
