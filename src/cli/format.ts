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

/**
 * `n.toLocaleString("en-US")` for integers (`100,000,000`), without `Intl`: the first use of a
 * locale loads ICU data, about 18 ms of a fresh process (a CLI run is one). Other numbers go
 * through `toLocaleString`.
 */
export function groupDigits(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString("en-US");
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += "," + digits.slice(i, i + 3);
  return n < 0 ? "-" + out : out;
}
