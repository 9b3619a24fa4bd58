#!/usr/bin/env bash
# The release build: the server and the public pages' client bundle (cargo-leptos), then the
# kiosk's own client bundle. The kiosk's island (its directory, keyboard and map) is a large part
# of the client code, and a phone opening the wall should never download it, so it is built apart:
# the same `app` crate with the feature `kiosk-bundle`, which makes KioskApp the only island.
# The loader (public/islands.js) fetches `labor-plaza-kiosk` on kiosk pages, `labor-plaza`
# elsewhere. Arguments go to `cargo leptos build` (e.g. `--bin-features test-clock`).
#
# The kiosk bundle goes through the same steps cargo-leptos takes for the public one: cargo for
# wasm32 in the same target directory and profile (the dependencies are shared, so only the `app`
# crate and the link are redone), wasm-bindgen, wasm-opt -Oz, then brotli and gzip copies.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/end2end/node_modules/.bin:$PATH"   # wasm-opt from npm's binaryen

cargo leptos build --release -P "$@"

echo "== the kiosk's client bundle"
name=labor-plaza-kiosk
pkg=target/site/pkg
# The same environment cargo-leptos gives its wasm build, so neither build invalidates the other's
# compiled dependencies.
LEPTOS_OUTPUT_NAME=labor-plaza LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=app LEPTOS_BIN_DIR=server \
  LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=false \
  cargo build --package=app --lib --target-dir=target/front --target=wasm32-unknown-unknown \
  --no-default-features --features=kiosk-bundle --profile=wasm-release
wasm-bindgen --target=web --no-typescript --out-name="$name" --out-dir="$pkg" \
  target/front/wasm32-unknown-unknown/wasm-release/app.wasm
mv "$pkg/${name}_bg.wasm" "$pkg/$name.wasm"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$pkg/$name.wasm" -o "$pkg/$name.wasm"
node -e '
  const fs = require("fs"), zlib = require("zlib");
  for (const file of process.argv.slice(1)) {
    const data = fs.readFileSync(file);
    fs.writeFileSync(file + ".br", zlib.brotliCompressSync(data, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }));
    fs.writeFileSync(file + ".gz", zlib.gzipSync(data, { level: 9 }));
    console.log(`${file}: ${data.length} bytes, brotli ${fs.statSync(file + ".br").size}`);
  }
' "$pkg/$name.wasm" "$pkg/$name.js"

# Each bundle holds its own island and not the other's (a mistake in the features would make a
# page load a bundle that cannot bring it to life).
grep -q 'KioskApp_' "$pkg/$name.js" || { echo "the kiosk bundle has no KioskApp island" >&2; exit 1; }
if grep -q 'KioskApp_' "$pkg/labor-plaza.js"; then echo "the public bundle carries the kiosk island" >&2; exit 1; fi
grep -q 'WallApp_' "$pkg/labor-plaza.js" || { echo "the public bundle has no WallApp island" >&2; exit 1; }
