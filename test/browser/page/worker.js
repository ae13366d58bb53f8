import { runChecks } from "./checks.js";

const violations = [];
self.addEventListener("securitypolicyviolation", (e) => violations.push({ where: "worker", directive: e.effectiveDirective, blocked: e.blockedURI }));
try {
  const r = await runChecks();
  await new Promise((res) => setTimeout(res, 50));
  self.postMessage({ ...r, violations });
} catch (e) {
  self.postMessage({ error: `${e && e.name}: ${e && e.message}\n${e && e.stack}`, violations });
}
