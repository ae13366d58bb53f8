#!/usr/bin/env bash
# Installs the Debian tools the test suite and the fuzzers use, when missing (idempotent):
# clang + lld + wasi-libc + compiler-rt for wasm32 (C programs; `npm run fixtures` builds the C guests
# fixtures/libc-guest and fixtures/rules-guest with them), csmith + its headers (random C
# programs), wabt and binaryen (text format, wasm-opt), rustc + the wasm32 standard library (Rust
# programs), chromium (the browser test under a strict CSP, test/browser). Needs root (or sudo) and apt; does nothing when everything is present.
# Usage: scripts/install-tools.sh [--check]   (--check: only report what is missing; exit 1 if anything is)
set -euo pipefail

# package -> a file that proves it is installed
declare -A PROBE=(
  [clang]=/usr/bin/clang
  [lld]=/usr/bin/wasm-ld
  [wasi-libc]=/usr/lib/wasm32-wasi/libc.a
  [libclang-rt-14-dev-wasm32]=/usr/lib/llvm-14/lib/clang/14.0.6/lib/wasi/libclang_rt.builtins-wasm32.a
  [csmith]=/usr/bin/csmith
  [libcsmith-dev]=/usr/include/csmith/csmith.h
  [wabt]=/usr/bin/wat2wasm
  [binaryen]=/usr/bin/wasm-opt
  [rustc]=/usr/bin/rustc
  [libstd-rust-dev-wasm32]=/usr/lib/rustlib/wasm32-wasi
  [chromium]=/usr/bin/chromium
)

missing=()
for pkg in "${!PROBE[@]}"; do
  if ! dpkg -s "$pkg" >/dev/null 2>&1 && [ ! -e "${PROBE[$pkg]}" ]; then missing+=("$pkg"); fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-tools: everything is installed"
  exit 0
fi
echo "install-tools: missing ${missing[*]}"
[ "${1:-}" = "--check" ] && exit 1

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else echo "install-tools: not root and no sudo; install: ${missing[*]}" >&2; exit 1; fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-tools: no apt-get here; install by hand: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=900 update -q
$SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "${missing[@]}"
echo "install-tools: installed ${missing[*]}"
