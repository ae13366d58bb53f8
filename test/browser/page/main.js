import { runChecks } from "./checks.js";

const violations = [];
document.addEventListener("securitypolicyviolation", (e) => violations.push({ where: "page", directive: e.effectiveDirective, blocked: e.blockedURI }));
const worker = new Worker("./worker.js", { type: "module" });
const fromWorker = new Promise((resolve) => { worker.onmessage = (e) => resolve(e.data); worker.onerror = (e) => resolve({ error: `worker error: ${e.message}` }); });
try {
  const page = await runChecks();
  const inWorker = await fromWorker;
  await new Promise((r) => setTimeout(r, 50)); // violation events are queued as tasks
  window.__results = { page, worker: inWorker, violations };
} catch (e) {
  window.__results = { error: `${e && e.name}: ${e && e.message}\n${e && e.stack}`, violations };
}
