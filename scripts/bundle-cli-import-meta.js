// Injected into the CommonJS bundle of the command line by scripts/bundle-cli.mjs, which replaces
// `import.meta` with `import_meta`: the bundle's file URL, computed when first read (only
// `run --workers` and `--record` read it, to find `node-worker.js` and load node:crypto).
export const import_meta = {
  get url() {
    return require("node:url").pathToFileURL(__filename).href;
  },
};
