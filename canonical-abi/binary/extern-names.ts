/**
 * The grammar of import and export names (Explainer.md, "Import and Export Definitions"), checked
 * as the binary is decoded so a component wasm-tools refuses ("not a valid extern name") is
 * refused here too:
 *
 * ```
 * exportname    ::= <plainname> | <interfacename>
 * importname    ::= <exportname> | <depname> | <urlname> | <hashname>
 * plainname     ::= <label> | '[constructor]' <label> | '[method]' <label> '.' <label>
 *                 | '[static]' <label> '.' <label>          (and the '[async ...]' forms)
 * label         ::= <fragment> | <label> '-' <fragment>
 * fragment      ::= <word> | <acronym>
 * word          ::= [a-z] [0-9a-z]*
 * acronym       ::= [A-Z] [0-9A-Z]*
 * interfacename ::= <label> ':' <label> '/' <label> ('@' <valid semver>)?
 * ```
 *
 * `depname`, `urlname` and `hashname` (`unlocked-dep=<...>`, `locked-dep=<...>`, `url=<...>`,
 * `integrity=<...>`) are only recognised by their framing: this host refuses every import anyway.
 */

/** `label`: kebab-case words, each all-lowercase or all-uppercase (digits after the first letter). */
export function isLabel(s: string): boolean {
  if (s.length === 0 || s.endsWith("-")) return false;
  let lower = false;
  let upper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const isLower = c >= 0x61 && c <= 0x7a;
    const isUpper = c >= 0x41 && c <= 0x5a;
    const isDigit = c >= 0x30 && c <= 0x39;
    if (!lower && !upper) {
      // the first character of a word is a letter
      if (isLower) lower = true;
      else if (isUpper) upper = true;
      else return false;
    } else if (c === 0x2d) {
      lower = upper = false;
    } else if (!((lower && isLower) || (upper && isUpper) || isDigit)) {
      return false;
    }
  }
  return true;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** `valid semver` (semver.org 2.0.0). */
export function isSemver(s: string): boolean {
  return SEMVER.test(s);
}

function isDotted(s: string): boolean {
  const dot = s.indexOf(".");
  return dot > 0 && isLabel(s.slice(0, dot)) && isLabel(s.slice(dot + 1));
}

const PLAIN_PREFIXES: readonly [string, (rest: string) => boolean][] = [
  ["[constructor]", isLabel],
  ["[method]", isDotted],
  ["[static]", isDotted],
  ["[async]", isLabel],
  ["[async method]", isDotted],
  ["[async static]", isDotted],
];

/** `plainname`. */
export function isPlainName(s: string): boolean {
  if (s.startsWith("[")) {
    for (const [prefix, rest] of PLAIN_PREFIXES) if (s.startsWith(prefix)) return rest(s.slice(prefix.length));
    return false;
  }
  return isLabel(s);
}

/** `interfacename`: `namespace:package/interface@version`. */
export function isInterfaceName(s: string): boolean {
  const colon = s.indexOf(":");
  const slash = s.indexOf("/");
  if (colon < 0 || slash < colon) return false;
  const at = s.indexOf("@", slash);
  const iface = at < 0 ? s.slice(slash + 1) : s.slice(slash + 1, at);
  return isLabel(s.slice(0, colon)) && isLabel(s.slice(colon + 1, slash)) && isLabel(iface) && (at < 0 || isSemver(s.slice(at + 1)));
}

const IMPORT_ONLY_PREFIXES = ["unlocked-dep=<", "locked-dep=<", "url=<", "integrity=<"];

/** Why `name` is not a valid import or export name, or undefined when it is. */
export function externNameProblem(name: string, kind: "import" | "export"): string | undefined {
  if (isPlainName(name) || isInterfaceName(name)) return undefined;
  if (kind === "import" && IMPORT_ONLY_PREFIXES.some((p) => name.startsWith(p)) && name.includes(">")) return undefined;
  return `\`${name}\` is not a valid ${kind} name (a kebab-case label, or namespace:package/interface@semver)`;
}
