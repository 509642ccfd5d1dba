#!/usr/bin/env bash
# Installs whatever is missing to build and test on Debian with Rust (rustup)
# and Node 20: the wasm32 target, wasm-bindgen-cli at exactly Cargo.lock's
# wasm-bindgen version, wasm-pack, Chromium and its driver, the npm packages.
# Everything comes from the package registries; nothing else is downloaded.
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

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: Chromium and chromedriver are missing: run 'sudo apt-get install -y chromium chromium-driver'" >&2
    exit 1
  fi
  say "installing Chromium and chromedriver"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
