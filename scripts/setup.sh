#!/usr/bin/env bash
# Installs what `make demo` and `make test` need on a fresh machine, and skips what is
# already there: the wasm32 target, the wasm-bindgen CLI of the exact version in
# Cargo.lock, wasm-pack, npm's binaryen (for wasm-opt; Debian's is too old) and, with
# --test, Debian's Chromium, chromedriver, ffmpeg and jpegtran (for media fixtures), playwright-core,
# and the other engines' browsers and drivers: Firefox ESR with geckodriver (from crates.io),
# WebKitGTK's WebKitWebDriver (it starts MiniBrowser) and xvfb (MiniBrowser needs a display).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS="$ROOT/.tools"
export PATH="$TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

say() { printf 'setup: %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. wasm32 target
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 1b. rustfmt and clippy (make test's lint)
for c in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$c"; then
    say "adding the $c component"
    rustup component add "$c"
  fi
done

# 2. wasm-bindgen CLI, the version Cargo.lock pins (Cargo.toml pins it with `=`)
wbg=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$wbg" ] || { echo "setup: cannot read the wasm-bindgen version from Cargo.lock" >&2; exit 1; }
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wbg" ]; then
  say "installing wasm-bindgen-cli $wbg (about 10 minutes)"
  # --locked first; the registry mirror sometimes lacks a locked transitive version.
  cargo install wasm-bindgen-cli --version "$wbg" --locked --force \
    || cargo install wasm-bindgen-cli --version "$wbg" --force
fi

# 3. wasm-pack
if ! command -v wasm-pack >/dev/null 2>&1; then
  say "installing wasm-pack (about 12 minutes)"
  cargo install wasm-pack --locked || cargo install wasm-pack
fi

# 4. npm tools: binaryen's wasm-opt, playwright-core
if [ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ] || { [ $want_test = 1 ] && [ ! -d "$TOOLS/node_modules/playwright-core" ]; }; then
  say "installing npm tools into .tools/"
  mkdir -p "$TOOLS"
  cp scripts/tools-package.json "$TOOLS/package.json"
  (cd "$TOOLS" && npm install --no-audit --no-fund --loglevel=error)
fi

# 5. browser, driver and ffmpeg for the tests
if [ $want_test = 1 ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
  command -v jpegtran >/dev/null 2>&1 || missing+=(libjpeg-turbo-progs)
  # A CJK font, so the demo's Chinese renders in the e2e screenshots (not boxes).
  dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed' || missing+=(fonts-noto-cjk)
  command -v firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr)
  command -v WebKitWebDriver >/dev/null 2>&1 || missing+=(webkit2gtk-driver)
  command -v xvfb-run >/dev/null 2>&1 || missing+=(xvfb)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} from Debian"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"
  fi
  # Debian has no geckodriver package.
  if ! command -v geckodriver >/dev/null 2>&1; then
    say "installing geckodriver (about 2 minutes)"
    cargo install geckodriver --locked || cargo install geckodriver
  fi
fi
say "ready (wasm-bindgen $wbg, $(wasm-pack --version), wasm-opt $(wasm-opt --version | head -1))"
