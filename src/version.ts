/** The package's version (kept equal to package.json's `version`; a test checks it). */
export const ENGINE_VERSION = "0.1.0";
