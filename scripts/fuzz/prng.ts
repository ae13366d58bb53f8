/**
 * The differential fuzzer's seeded PRNG: the same generator as the malformed-input fuzzer's
 * (with stream 0 it yields exactly the sequence this file's earlier copy did, so seeds keep
 * their modules).
 */
export { Rng } from "../malformed/prng.js";
