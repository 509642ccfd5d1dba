#!/usr/bin/env bash
# Installs whatever is missing to build and test on Debian with Rust (rustup)
# and Node 20: the wasm32 target, wasm-bindgen-cli at exactly Cargo.lock's
# wasm-bindgen version, wasm-pack and geckodriver (cargo), the three browser
# engines the tests run in (Chromium and its driver, Firefox ESR, WebKitGTK's
# WebKitWebDriver and MiniBrowser, Xvfb for the latter: Debian packages), and
# the npm packages. Everything comes from the package registries; no browser
# is downloaded from anywhere else (nothing runs `npx playwright install`).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "setup: $*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

bindgen=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen" ]; then
  say "installing wasm-bindgen-cli $bindgen (matches Cargo.lock)"
  cargo install wasm-bindgen-cli --version "$bindgen" --force
fi

if ! command -v wasm-pack >/dev/null; then
  say "installing wasm-pack"
  cargo install wasm-pack --version 0.15.1 --locked
fi

# geckodriver: wasm-pack's browser tests in Firefox (the JS suites drive
# Firefox over WebDriver BiDi and need no driver binary).
if ! command -v geckodriver >/dev/null; then
  say "installing geckodriver (builds from crates.io, a few minutes)"
  cargo install geckodriver --version 0.37.1 --locked
fi

# The browsers: one Debian package each, plus Xvfb for MiniBrowser, which
# has no headless mode.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v firefox-esr >/dev/null || missing+=(firefox-esr)
command -v WebKitWebDriver >/dev/null || missing+=(webkit2gtk-driver)
command -v Xvfb >/dev/null || missing+=(xvfb)
# The test proxy's self-signed certificate (tests/support/proxy.mjs).
command -v openssl >/dev/null || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing Debian packages: run 'sudo apt-get install -y ${missing[*]}'" >&2
    exit 1
  fi
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
