/**
 * `canon lower`: core code calling component-level functions inside one composed component
 * (a nested component's lifted exports lowered into the outer component's core instances),
 * on Node's engine and on our interpreter: values cross two memories (strings through realloc
 * and an out-pointer); `may_leave` (T13) refuses a call out of `realloc`; reentering the same
 * component instance through a lowered function traps (T14).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { CanonicalAbiTrap, Component, instantiateComponent, type CoreEngine } from "../../canonical-abi/index.js";
import { interpreterEngine } from "../../canonical-abi/link/interpreter-engine.js";
import { Store } from "../../interpreter/index.js";
import { nodeEngine } from "./helpers/node-engine.js";

const B = `(component $B
    (core module $m
      (memory (export "mem") 1)
      (func (export "realloc") (param i32 i32 i32 i32) (result i32) (i32.const 256))
      (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
      (func (export "echo") (param i32 i32) (result i32)
        (i32.store (i32.const 8) (local.get 0)) (i32.store (i32.const 12) (local.get 1)) (i32.const 8)))
    (core instance $i (instantiate $m))
    (alias core export $i "mem" (core memory $mem))
    (alias core export $i "realloc" (core func $realloc))
    (alias core export $i "double" (core func $double))
    (alias core export $i "echo" (core func $echo))
    (func (export "double") (param "x" u32) (result u32) (canon lift (core func $double)))
    (func (export "echo") (param "s" string) (result string) (canon lift (core func $echo) (memory $mem) (realloc $realloc))))`;

const composed = `(component
  ${B}
  (instance $b (instantiate $B))
  (alias export $b "double" (func $double))
  (alias export $b "echo" (func $echo))
  (core module $memmod
    (memory (export "mem") 1)
    (global $h (mut i32) (i32.const 1024))
    (func (export "realloc") (param $old i32) (param $oldsz i32) (param i32) (param $new i32) (result i32) (local $p i32) (local $k i32)
      ;; shrinking keeps the block; otherwise bump and copy the old contents
      (if (i32.and (i32.ne (local.get $old) (i32.const 0)) (i32.le_u (local.get $new) (local.get $oldsz))) (then (return (local.get $old))))
      (local.set $p (global.get $h)) (global.set $h (i32.add (global.get $h) (i32.add (local.get $new) (i32.const 8))))
      (block $d (loop $l (br_if $d (i32.ge_u (local.get $k) (local.get $oldsz)))
        (i32.store8 (i32.add (local.get $p) (local.get $k)) (i32.load8_u (i32.add (local.get $old) (local.get $k))))
        (local.set $k (i32.add (local.get $k) (i32.const 1))) (br $l)))
      (local.get $p)))
  (core instance $mm (instantiate $memmod))
  (alias core export $mm "mem" (core memory $mem))
  (alias core export $mm "realloc" (core func $realloc))
  (core func $double-lowered (canon lower (func $double)))
  (core func $echo-lowered (canon lower (func $echo) (memory $mem) (realloc $realloc)))
  (core module $main
    (import "env" "double" (func $d (param i32) (result i32)))
    (import "env" "echo" (func $e (param i32 i32 i32)))
    (func (export "quad") (param i32) (result i32) (call $d (call $d (local.get 0))))
    (func (export "echo2") (param i32 i32) (result i32) (call $e (local.get 0) (local.get 1) (i32.const 64)) (i32.const 64)))
  (core instance $env (export "double" (func $double-lowered)) (export "echo" (func $echo-lowered)))
  (core instance $main (instantiate $main (with "env" (instance $env))))
  (alias core export $main "quad" (core func $quad))
  (alias core export $main "echo2" (core func $echo2))
  (func (export "quad") (param "x" u32) (result u32) (canon lift (core func $quad)))
  (func (export "echo2") (param "s" string) (result string) (canon lift (core func $echo2) (memory $mem) (realloc $realloc)))
)`;

const mayLeave = `(component
  ${B}
  (instance $b (instantiate $B))
  (alias export $b "double" (func $double))
  (core func $dl (canon lower (func $double)))
  (core instance $env0 (export "double" (func $dl)))
  (core module $mm
    (import "env0" "double" (func $d (param i32) (result i32)))
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (drop (call $d (i32.const 1))) (i32.const 1024))
    (func (export "f") (param i32 i32)))
  (core instance $mmi (instantiate $mm (with "env0" (instance $env0))))
  (alias core export $mmi "mem" (core memory $mem))
  (alias core export $mmi "realloc" (core func $realloc))
  (alias core export $mmi "f" (core func $f))
  (func (export "f") (param "s" string) (canon lift (core func $f) (memory $mem) (realloc $realloc)))
)`;

const reenter = `(component
  (core module $x (func (export "g") (result i32) (i32.const 7)))
  (core instance $xi (instantiate $x))
  (alias core export $xi "g" (core func $gcore))
  (func $g (result u32) (canon lift (core func $gcore)))
  (core func $gl (canon lower (func $g)))
  (core instance $env (export "g" (func $gl)))
  (core module $y (import "env" "g" (func $g (result i32))) (func (export "h") (result i32) (call $g)))
  (core instance $yi (instantiate $y (with "env" (instance $env))))
  (alias core export $yi "h" (core func $hcore))
  (func (export "h") (result u32) (canon lift (core func $hcore)))
  (export "g" (func $g))
)`;

const engines: [string, CoreEngine, () => unknown][] = [["node", nodeEngine, () => undefined], ["interpreter", interpreterEngine, () => new Store()]];

for (const [name, engine, store] of engines) {
  test(`${name}: lowered functions cross two memories`, async () => {
    const c = Component.fromBytes(await parse(composed), { engine });
    const inst = instantiateComponent(c, { store: store() });
    assert.is(inst.getExport(["quad"]).call([5]), 20);
    assert.is(inst.getExport(["echo2"]).call(["héllo, wörld"]), "héllo, wörld");
  });

  test(`${name}: T13 a call out of realloc traps (may_leave)`, async () => {
    const c = Component.fromBytes(await parse(mayLeave), { engine });
    const inst = instantiateComponent(c, { store: store() });
    try {
      inst.getExport(["f"]).call(["x"]);
      assert.unreachable("T13 expected");
    } catch (e) {
      assert.instance(e, CanonicalAbiTrap, String(e));
      assert.is((e as CanonicalAbiTrap).rule, "T13");
      assert.match((e as Error).message, /cannot leave component instance/);
    }
    assert.ok(inst.poisoned);
  });

  test(`${name}: T14 reentering the same instance through a lowered function`, async () => {
    const c = Component.fromBytes(await parse(reenter), { engine });
    const inst = instantiateComponent(c, { store: store() });
    assert.is(inst.getExport(["g"]).call([]), 7);
    try {
      inst.getExport(["h"]).call([]);
      assert.unreachable("T14 expected");
    } catch (e) {
      assert.instance(e, CanonicalAbiTrap, String(e));
      assert.is((e as CanonicalAbiTrap).rule, "T14");
    }
  });
}

test.run();
