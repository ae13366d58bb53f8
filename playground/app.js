// The ABI playground (`npm run playground`): pick a bundled component or drop one, see its exports
// as WIT, edit the inputs, run it on pureflow-wasm's interpreter in this page with the Canonical
// ABI trace on, and explore the trace: the steps in order and the memory they touched, byte by
// byte. A second tab explains any WIT type (`abi explain`). Loaded as an ES module from 'self' only.
import { AbiTrace, BatchComponent, batchInputsFromWitJson, batchesToWitJson, memoryMap } from "./lib/src/index.js";
import {
  Component, eventLine, explainFunc, explainType, parseWitTypeOrFunc, renderExternsAsWit, renderFuncLayout, renderTypeLayout,
} from "./lib/canonical-abi/index.js";
import { describeByte, drawMemory, hex, markRange, markSeq } from "./memory-map.js";

const $ = (id) => document.getElementById(id);
const MAX_STEPS = 3000;

/** What the page did, for people and for the browser test. */
const state = { ready: false, fixture: null, loadMs: null, runMs: null, outputs: null, error: null, runs: 0 };
window.__playground = state;

let fixtures = [];
let guest = null;
let trace = null;
let phase = "lower";
let cells = new Map();
let touched = new Map();

// ---- tabs

for (const b of document.querySelectorAll(".tab")) {
  b.addEventListener("click", () => {
    for (const t of document.querySelectorAll(".tab")) t.classList.toggle("active", t === b);
    $("tab-run").hidden = b.dataset.tab !== "run";
    $("tab-explain").hidden = b.dataset.tab !== "explain";
  });
}

// ---- loading a component

function setStatus(id, text, error = false) {
  $(id).textContent = text;
  $(id).classList.toggle("error", error);
}

function message(e) {
  return e && typeof e === "object" && "message" in e ? String(e.message) : String(e);
}

/** Compiles `bytes` and shows its exports; returns the time it took (ms). */
function openComponent(bytes, name) {
  const t0 = performance.now();
  guest = null;
  $("run").disabled = true;
  let component;
  try {
    component = Component.fromBytes(bytes);
  } catch (e) {
    setStatus("load-status", `${name}: not a component this interpreter runs: ${message(e)}`, true);
    $("wit").textContent = "";
    return null;
  }
  $("wit").textContent = renderExternsAsWit(component.exports) || "(no exports)";
  try {
    guest = BatchComponent.fromComponentBytes(bytes);
  } catch (e) {
    setStatus("load-status", `${name}: ${message(e)}`, true);
    return null;
  }
  const problem = guest.bindingProblem();
  if (problem !== undefined) {
    setStatus("load-status", `${name}: does not implement the pureflow:batch world: ${problem.message}`, true);
    guest = null;
    return null;
  }
  const ms = performance.now() - t0;
  setStatus("load-status", `${name}: ${bytes.length.toLocaleString("en-US")} bytes, opened in ${ms.toFixed(1)} ms`);
  $("run").disabled = false;
  return ms;
}

async function openFixture(name) {
  const f = fixtures.find((x) => x.name === name);
  if (f === undefined) return;
  state.ready = false;
  setStatus("load-status", `loading ${f.name}…`);
  const t0 = performance.now();
  const bytes = new Uint8Array(await (await fetch(f.file)).arrayBuffer());
  $("inputs").value = f.inputs;
  $("fixture-about").textContent = f.about;
  const compiled = openComponent(bytes, f.name);
  state.fixture = f.name;
  state.loadMs = compiled === null ? null : performance.now() - t0;
  clearTrace();
  state.ready = true;
}

$("fixture").addEventListener("change", () => void openFixture($("fixture").value));

async function openFile(file) {
  state.ready = false;
  const bytes = new Uint8Array(await file.arrayBuffer());
  $("fixture-about").textContent = `your file ${file.name}`;
  const t0 = performance.now();
  const compiled = openComponent(bytes, file.name);
  state.fixture = file.name;
  state.loadMs = compiled === null ? null : performance.now() - t0;
  clearTrace();
  state.ready = true;
}

$("file").addEventListener("change", () => {
  const f = $("file").files[0];
  if (f !== undefined) void openFile(f);
});
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  const f = e.dataTransfer && e.dataTransfer.files[0];
  if (f !== undefined) void openFile(f);
});

// ---- running

function clearTrace() {
  trace = null;
  $("steps").replaceChildren();
  $("memory").replaceChildren();
  $("outputs").textContent = "";
  $("stats").replaceChildren();
  $("byte-info").textContent = "hover a byte";
  setStatus("run-status", "");
}

function stat(name, value) {
  const dt = document.createElement("dt");
  dt.textContent = name;
  const dd = document.createElement("dd");
  dd.textContent = value;
  dd.dataset.stat = name;
  $("stats").append(dt, dd);
}

function run() {
  if (guest === null) return;
  let inputs;
  try {
    inputs = batchInputsFromWitJson($("inputs").value);
  } catch (e) {
    setStatus("run-status", `inputs: ${message(e)}`, true);
    return;
  }
  const t0 = performance.now();
  trace = new AbiTrace();
  const report = guest.invokeWithReport(inputs, { trace });
  const invokeMs = performance.now() - t0;
  state.outputs = report.outputs ? batchesToWitJson(report.outputs) : null;
  state.error = report.error ? report.error.toString() : null;
  $("outputs").textContent = report.error ? `error: ${report.error.toString()}` : JSON.stringify(state.outputs, null, 2);
  setStatus("run-status", report.error ? "the guest failed (see the trace for where)" : "ok", report.error !== undefined);
  drawSteps();
  showPhase(report.error && !trace.events.some((e) => e.phase === "lift") ? "lower" : "lift");
  state.runMs = performance.now() - t0;
  state.runs++;
  $("stats").replaceChildren();
  stat("status", report.error ? "error" : "ok");
  stat("fuel", `${report.fuelConsumed.toLocaleString("en-US")} of ${report.fuelLimit.toLocaleString("en-US")}`);
  stat("invoke (traced)", `${invokeMs.toFixed(2)} ms`);
  stat("invoke + drawing", `${state.runMs.toFixed(2)} ms`);
  if (state.loadMs !== null) stat("open (fetch + compile)", `${state.loadMs.toFixed(2)} ms`);
  stat("trace", `${trace.events.length} steps${trace.dropped > 0 ? `, ${trace.dropped} not recorded` : ""}`);
}

$("run").addEventListener("click", run);

// ---- the trace

function drawSteps() {
  const list = $("steps");
  list.replaceChildren();
  let current = "";
  const titles = { lower: "lowering the arguments", call: "the core call", lift: "lifting the results", "post-return": "post-return" };
  for (const e of trace.events.slice(0, MAX_STEPS)) {
    if (e.step !== "call-begin" && e.phase !== current) {
      current = e.phase;
      const li = document.createElement("li");
      li.className = "phase-title";
      li.textContent = `— ${titles[current] || current}`;
      list.append(li);
    }
    const li = document.createElement("li");
    li.textContent = eventLine(e);
    li.dataset.seq = String(e.seq);
    if (e.step === "store" || e.step === "load" || e.step === "range") li.classList.add("mem");
    if (e.step === "trap") li.classList.add("trap");
    list.append(li);
  }
  if (trace.events.length > MAX_STEPS) {
    const li = document.createElement("li");
    li.textContent = `… ${trace.events.length - MAX_STEPS} more steps`;
    list.append(li);
  }
}

function showPhase(p) {
  phase = p;
  for (const b of document.querySelectorAll(".phase")) b.classList.toggle("active", b.dataset.phase === p);
  touched = trace === null ? new Map() : memoryMap(trace.events, p);
  cells = drawMemory($("memory"), touched);
}

for (const b of document.querySelectorAll(".phase")) b.addEventListener("click", () => { if (trace !== null) showPhase(b.dataset.phase); });

$("steps").addEventListener("click", (ev) => {
  const li = ev.target.closest("li[data-seq]");
  if (li === null || trace === null) return;
  const e = trace.events.find((x) => String(x.seq) === li.dataset.seq);
  if (e === undefined || (e.step !== "store" && e.step !== "load" && e.step !== "range")) return;
  for (const x of $("steps").querySelectorAll("li.selected")) x.classList.remove("selected");
  li.classList.add("selected");
  const p = e.phase === "lift" ? "lift" : "lower";
  if (p !== phase) showPhase(p);
  const n = markRange(cells, "selected", e.address, e.step === "range" ? e.length : e.size);
  $("byte-info").textContent = `${eventLine(e)}\n${n} byte(s) highlighted at ${hex(e.address)}`;
  const first = cells.get(e.address);
  if (first !== undefined) first.scrollIntoView({ block: "nearest" });
});

$("memory").addEventListener("mouseover", (ev) => {
  const cell = ev.target.closest("[data-addr]");
  if (cell === null) return;
  const address = Number(cell.dataset.addr);
  const t = touched.get(address);
  $("byte-info").textContent = describeByte(t, address);
  if (t !== undefined) markSeq(cells, "same", t.seq);
});

$("memory").addEventListener("click", (ev) => {
  const cell = ev.target.closest("[data-seq]");
  if (cell === null) return;
  const li = $("steps").querySelector(`li[data-seq="${cell.dataset.seq}"]`);
  for (const x of $("steps").querySelectorAll("li.selected")) x.classList.remove("selected");
  if (li !== null) {
    li.classList.add("selected");
    li.scrollIntoView({ block: "nearest" });
  }
});

// ---- explain a WIT type

function explain() {
  const text = $("wit-type").value;
  try {
    const t = parseWitTypeOrFunc(text);
    $("layout").textContent = t.kind === "func" ? renderFuncLayout(explainFunc(t)) : renderTypeLayout(explainType(t));
    $("layout").classList.remove("error");
  } catch (e) {
    $("layout").textContent = message(e);
    $("layout").classList.add("error");
  }
}

$("explain").addEventListener("click", explain);
$("wit-type").addEventListener("keydown", (e) => { if (e.key === "Enter") explain(); });

// ---- start

try {
  fixtures = await (await fetch("fixtures/index.json")).json();
  for (const f of fixtures) {
    const o = document.createElement("option");
    o.value = f.name;
    o.textContent = f.title;
    $("fixture").append(o);
  }
  explain();
  await openFixture(fixtures[0].name);
} catch (e) {
  setStatus("load-status", `the playground could not start: ${message(e)}`, true);
  state.error = message(e);
  state.ready = true;
}
