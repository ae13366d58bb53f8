/**
 * Output formatting for the command line: WIT-shaped JSON pretty-printed the way Pureflow's
 * test vectors are (two-space indent, arrays of numbers kept on one line), so `run` output can be
 * compared byte for byte with `expected-outputs.json`.
 */

/** Pretty-prints a JSON value: two-space indent; arrays of numbers on one line (`[1, 2, 3]`). */
export function prettyJson(value: unknown, indent = ""): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every((v) => typeof v === "number")) return "[" + value.map((v) => JSON.stringify(v)).join(", ") + "]";
    return "[\n" + value.map((v) => inner + prettyJson(v, inner)).join(",\n") + "\n" + indent + "]";
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  return "{\n" + entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${prettyJson(v, inner)}`).join(",\n") + "\n" + indent + "}";
}
