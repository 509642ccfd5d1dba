#!/usr/bin/env bash
# Builds the shipped files: pkg/convertro.js (wasm-bindgen's glue) and
# pkg/convertro_bg.wasm (optimised with a current wasm-opt from npm's binaryen),
# then dist/convertro.standalone.js.
# Run scripts/setup.sh first on a fresh machine (npm test / npm start do).
#
# CONVERTRO_OUT (a folder instead of pkg/; no standalone build then),
# CONVERTRO_MANIFEST (another crate's Cargo.toml, whose wasm is
# CONVERTRO_WASM_NAME) and CONVERTRO_FEATURES (its cargo features) build a
# variant the same way: scripts/crate-costs.mjs builds the measurement-only
# crate bench/crate-costs/ with them. CONVERTRO_NAMED=1
# keeps the wasm's function names (wasm-opt -g; names and glue not
# minified) and adds CONVERTRO_WASM_OPT_ARGS to wasm-opt's: bench/run.mjs's
# builds for its size table and --profile.
set -euo pipefail
cd "$(dirname "$0")/.."
FEATURES="${CONVERTRO_FEATURES:-}"
OUT="${CONVERTRO_OUT:-pkg}"
# The shipped wasm comes from the thin crate ship/ (measured smaller than
# the root crate built as a cdylib: ship/Cargo.toml).
MANIFEST="${CONVERTRO_MANIFEST:-ship/Cargo.toml}"
WASM_NAME="${CONVERTRO_WASM_NAME:-convertro_ship}"
TARGET="target/ship${CONVERTRO_MANIFEST:+-costs}${FEATURES:+-${FEATURES//[^a-z0-9]/-}}"

# The shipped build's compiler flags (every variant above is built with them):
# a 64 KiB stack instead of 1 MiB: the rules recurse at most a few levels,
# and a smaller initial memory is less to allocate on every page view.
# (ship/Cargo.toml's opt-level "z" does what LLVM's inline and unroll
# thresholds of 0 did at opt-level 3, in 46 B less: they are not set.)
export CONVERTRO_RUSTFLAGS="${CONVERTRO_RUSTFLAGS:--C link-arg=-zstack-size=65536}"
RUSTFLAGS="$CONVERTRO_RUSTFLAGS" cargo build --release --target wasm32-unknown-unknown --lib --quiet --manifest-path "$MANIFEST" --target-dir "$TARGET" ${FEATURES:+--features "$FEATURES"}
# Built in pkg.next/ and moved into place at the end, so pkg/ always holds
# a glue and a wasm that belong together (a page or test reading it during a
# build never sees half of one and half of the other).
NEXT="$OUT.next"
rm -rf "$NEXT"
wasm-bindgen "$TARGET/wasm32-unknown-unknown/release/$WASM_NAME.wasm" \
  --target web --out-dir "$NEXT" --out-name convertro --no-typescript --omit-default-module-path --encode-into always
# js/index.js loads the wasm itself: wasm-bindgen's loaders go.
node scripts/glue-loader.mjs "$NEXT/convertro.js"
# Debian's wasm-opt is too old for reference types: always use the npm one.
if [ -n "${CONVERTRO_NAMED:-}" ]; then NAMES=(-g ${CONVERTRO_WASM_OPT_ARGS:-}); else NAMES=(--strip-debug); fi
# --flatten --rereloop before -Oz -Oz: measured 176 B smaller gzip than -Oz
# alone on the opt-level "z" build (and 73 B smaller than with -O4 first).
# --low-memory-unused (98 B less): the lowest 1 KiB is the far end of the
# 64 KiB stack, which grows down from 65536 (the data and heap lie above it),
# so no pointer ever falls in it.
node_modules/.bin/wasm-opt "$NEXT/convertro_bg.wasm" --flatten --rereloop -Oz -Oz --converge --low-memory-unused "${NAMES[@]}" --strip-producers \
  --enable-reference-types --enable-bulk-memory --enable-multivalue --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-sign-ext \
  -o "$NEXT/convertro_bg.wasm"
if [ -z "${CONVERTRO_NAMED:-}" ]; then
  node scripts/minify-names.mjs "$NEXT/convertro_bg.wasm" "$NEXT/convertro.js"
  # Minified, so that a site without a bundler downloads 3 KB of glue, not 7.
  node_modules/.bin/esbuild "$NEXT/convertro.js" --minify --format=esm --log-level=warning --outfile="$NEXT/convertro.min.js"
  mv "$NEXT/convertro.min.js" "$NEXT/convertro.js"
fi
rm -rf "$OUT.old"
if [ -d "$OUT" ]; then mv "$OUT" "$OUT.old"; fi
mv "$NEXT" "$OUT"
rm -rf "$OUT.old"
# The classic-script build for pages that use Segment's snippet (wasm inlined).
if [ "$OUT" = pkg ]; then node scripts/build-standalone.mjs; fi
echo "built $OUT/: $(wc -c < "$OUT/convertro_bg.wasm") bytes wasm ($(gzip -9c "$OUT/convertro_bg.wasm" | wc -c) gzip), $(wc -c < "$OUT/convertro.js") bytes glue ($(gzip -9c "$OUT/convertro.js" | wc -c) gzip)"
