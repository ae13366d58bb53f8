#!/usr/bin/env node
"use strict";
// The pureflow-wasm command (scripts/bundle-cli-loader.js, copied to dist/bin/pureflow-wasm.js by
// scripts/bundle-cli.mjs; CommonJS, like the bundles beside it): a plain `run` loads cli-run.js,
// which holds only what it uses; everything else loads cli-full.js.
//
// cli-run.js is compiled with V8's code cache when `npm run build` made one (cli-run.cache: the
// bytecode of the functions a training run of the uppercase fixture used), which spares a fresh
// process most of the compiling of the bundle. The cache is never required: when it is missing,
// made for another bundle or another V8 (the header names the V8 version and holds a CRC-32 of
// the bundle and of the cached data: V8 itself checks only the length of the source, and no
// checksum), damaged, or rejected by V8 (other V8 flags), the bundle is compiled as `require`
// compiles it, silently. PUREFLOW_CODE_CACHE=off does not read it; PUREFLOW_CODE_CACHE=report
// writes one line on stderr saying what became of it.
//
// What is compiled here is only the package's own bundle, read from disk next to this file, the
// very text `require` would compile: nothing from the command line, the input files or a guest is
// ever compiled (pureflow-wasm runs guests in its interpreter, with no eval or new Function).
const { closeSync, fstatSync, openSync, readSync, statSync } = require("node:fs");
const { dirname, join } = require("node:path");

/** The first line of a cache file; the second is cacheKey(), then 4 bytes of cacheCheck(), then V8's data. */
const MAGIC = "pureflow-wasm code cache 2\n";

/** What a cache must have been made by: V8's cache is only accepted by the same V8 version on the same architecture. */
function cacheKey() {
  return "v8 " + process.versions.v8 + " " + process.arch + "\n";
}

/**
 * An environment variable, or undefined when it is unset or the runtime denies access to the
 * environment (Deno without `--allow-env` throws `NotCapable` on reading it): the command then
 * runs with the defaults.
 */
function envVar(name) {
  try {
    return process.env[name];
  } catch {
    return undefined;
  }
}

/** The cache file of a bundle: `cli-run.js` -> `cli-run.cache`. */
function cacheFileOf(file) {
  return file.replace(/\.js$/, ".cache");
}

/**
 * CRC-32 of the bundle's bytes, then of the cached data after them (zlib's, in Node >= 20.15;
 * undefined before): a cache for another build of the bundle, or damaged, is never given to V8.
 * (A CRC, not a cryptographic hash: it guards against accidents; node:crypto alone costs a fresh
 * process ~8 ms.)
 */
function cacheCheck(source, data, sourceCheck) {
  const { crc32 } = require("node:zlib");
  if (typeof crc32 !== "function") return undefined;
  return data === undefined ? crc32(source) : crc32(data, sourceCheck === undefined ? crc32(source) : sourceCheck);
}

/** A cache file's bytes for `source`: the header followed by V8's data. */
function cacheFileBytes(source, data) {
  const check = cacheCheck(source, data);
  if (check === undefined) throw new Error("this Node has no zlib.crc32 (Node >= 20.15 has)");
  const head = Buffer.from(MAGIC + cacheKey() + "0000", "latin1");
  head.writeUInt32BE(check, head.length - 4);
  return Buffer.concat([head, data]);
}

/** V8's data from a cache file, or why it cannot be used for the bundle whose CRC-32 is `sourceCheck` (or `source`). */
function cachedData(cache, source, sourceCheck) {
  const head = MAGIC + cacheKey();
  if (cache.length < head.length + 4 || cache.toString("latin1", 0, head.length) !== head) {
    return cache.toString("latin1", 0, MAGIC.length) === MAGIC ? "made by another V8" : "not a code cache";
  }
  const data = cache.subarray(head.length + 4);
  const check = cacheCheck(source, data, sourceCheck);
  if (check === undefined) return "this Node has no zlib.crc32";
  return check === cache.readUInt32BE(head.length) ? data : "made for another build of the bundle, or damaged";
}

/**
 * The bundle compiled as a script, its text as it is (read as Latin-1, the cheaper decoding, when
 * it is ASCII, as the bundles are). The bundle is one function expression (scripts/bundle-cli.mjs):
 * the script's value is the function Node's CommonJS loader would call.
 */
function compileBundle(file, source, data) {
  return compileText(file, bundleText(source), data);
}

/** The bundle's text: Latin-1 when it is ASCII (the cheaper decoding; the bundles are ASCII), else UTF-8. */
function bundleText(source) {
  return require("node:buffer").isAscii(source) ? source.toString("latin1") : source.toString("utf8");
}

/** A compiled bundle, with V8's cached data when given (`script.cachedDataRejected` says whether V8 took it). */
function compileText(file, text, data) {
  const { Script } = require("node:vm");
  return new Script(text, { filename: file, cachedData: data });
}

/**
 * Reads the file at `path` into the start of `buf`, or of a new buffer of at least `room` bytes
 * when `buf` is too small: the bytes read. A fresh process pays more for touching new memory than
 * for reading it (~3 ms a MB on the machine measured), so the bundle and then its cache are read
 * into the same buffer.
 */
function readInto(path, buf, room = 0) {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    if (buf === undefined || buf.length < size) buf = Buffer.allocUnsafeSlow(Math.max(size, room));
    let n = 0;
    for (let k; n < size && (k = readSync(fd, buf, n, size - n, n)) > 0; ) n += k;
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Runs a compiled bundle as `require` runs a module (its own `module`, `require`, `__filename`, `__dirname`); its `module.exports`. */
function runCompiled(script, file) {
  const Module = require("node:module");
  const m = new Module(file, module);
  m.filename = file;
  script.runInThisContext().call(m.exports, m.exports, Module.createRequire(file), m, file, dirname(file));
  m.loaded = true;
  return m.exports;
}

/**
 * Runs the bundle `name` (next to this file), compiled with its code cache when there is a usable
 * one, else by `require`. PUREFLOW_CODE_CACHE=report: one line on stderr saying which.
 */
function loadBundle(name) {
  const file = join(__dirname, name);
  const setting = envVar("PUREFLOW_CODE_CACHE");
  let outcome = "off";
  let script;
  if (setting !== "off") {
    try {
      const cacheFile = cacheFileOf(file);
      const source = readInto(file, undefined, statSync(cacheFile).size);
      const sourceCheck = cacheCheck(source);
      const text = bundleText(source);
      // the cache overwrites the bundle's bytes, which are not used after this
      const data = cachedData(readInto(cacheFile, Buffer.from(source.buffer)), undefined, sourceCheck);
      if (typeof data !== "string") script = compileText(file, text, data);
      outcome = script === undefined ? "not used: " + data : script.cachedDataRejected === false ? "used" : "rejected by V8 (other V8 flags)";
    } catch (e) {
      // no cache, or an unreadable one; no bundle or a bundle V8 cannot compile: require reports that as usual
      outcome = "not used: " + (e && e.code === "ENOENT" ? "missing" : e && e.code ? "unreadable (" + e.code + ")" : "failed (" + e + ")");
      script = undefined;
    }
  }
  if (setting === "report") process.stderr.write("pureflow-wasm: code cache of " + name + ": " + outcome + "\n");
  if (script === undefined) require(file);
  else runCompiled(script, file);
}

module.exports = { MAGIC, cacheKey, cacheFileOf, cacheFileBytes, cachedData, compileBundle, runCompiled };

if (require.main === module) {
  const args = process.argv.slice(2);
  const lazy = /^--(record|repeat|workers|trace-abi)(=|$)/;
  if (args[0] === "run" && !args.some((a) => lazy.test(a))) loadBundle("cli-run.js");
  else require("./cli-full.js");
}
