// The page's objects as the worker sees them: `window` and `document` in
// Python are references into this table. Each get, set, call or `new` from
// the worker is one synchronous round trip (see channel.ts); primitives
// cross as values, everything else as a new reference, which the worker
// releases when Python drops its proxy.

import { CONTRACT } from "./pythoncontract";

/** A value as it crosses between the page and the worker. */
export type Wire =
  | { value: unknown } // a primitive: string, number, boolean, null, undefined, bigint
  | { ref: number; callable: boolean } // an object of the page's, by reference
  | { callback: number } // a Python function the page may call
  | { symbol: string; registered: boolean }; // a symbol of the worker's: the page's own of that name (see symbolWire)

/**
 * The wire of a symbol the worker's JavaScript made: a well-known one
 * (Symbol.iterator) by its name, one of the registry (Symbol.for) by its
 * key, so that the page uses its own. Any other symbol is the worker's alone.
 */
export function symbolWire(symbol: symbol): Wire {
  const key = Symbol.keyFor(symbol);
  if (key !== undefined) return { symbol: key, registered: true };
  const name = Object.getOwnPropertyNames(Symbol).find((n) => (Symbol as unknown as Record<string, unknown>)[n] === symbol);
  if (name !== undefined) return { symbol: name, registered: false };
  throw new TypeError(`${String(symbol)} cannot cross to the page: only well-known symbols (Symbol.iterator) and registered ones (Symbol.for) can`);
}

/** The wires of a page operation's arguments as they cross: the worker's symbols by name. */
export function crossingArgs(args: Wire[]): Wire[] {
  return args.some((wire) => "value" in wire && typeof wire.value === "symbol")
    ? args.map((wire) => ("value" in wire && typeof wire.value === "symbol" ? symbolWire(wire.value) : wire))
    : args;
}

/** What the worker asks of a page object. */
export interface PageOp {
  op: "get" | "set" | "call" | "new";
  ref: number;
  key?: string | number;
  args?: Wire[];
  /** For a get: the keys read straight after `key`, each on the value before (see _pageobjects.py). */
  path?: (string | number)[];
}

/** The roots' references (see the contract's pageRoots): window, document, and the page's js_modules.main. */
export const WINDOW = CONTRACT.pageRoots.indexOf("window");
export const DOCUMENT = CONTRACT.pageRoots.indexOf("document");
export const JS_MODULES = CONTRACT.pageRoots.indexOf("jsModules");
const ROOTS = CONTRACT.pageRoots.length;

interface Entry {
  value: unknown;
  /** For a function got as a property: the object it was got from, its `this`. */
  receiver?: unknown;
}

/**
 * A Python function as the page holds it: one JavaScript function per Python
 * function (so removeEventListener finds what addEventListener got), and how
 * many times the worker sent it, which the worker counts down when the
 * page's garbage collector drops the function.
 */
interface Callback {
  id: number;
  fn: WeakRef<(...args: unknown[]) => void>;
  received: number;
}

export class PageObjects {
  private readonly refs = new Map<number, Entry>();
  private next = ROOTS;
  private readonly callbacks = new Map<number, Callback>();
  private readonly dropped = new FinalizationRegistry<Callback>((callback) => {
    if (this.callbacks.get(callback.id) === callback) this.callbacks.delete(callback.id);
    this.forget(callback.id, callback.received);
  });

  /**
   * `callback(id, args)` runs the worker's Python function `id`; `forget(id, times)`
   * tells the worker the page dropped it, having been sent it `times` times;
   * `jsModules` are the page's JavaScript modules the worker may use, by name.
   */
  constructor(
    private readonly callback: (id: number, args: Wire[]) => void,
    private readonly forget: (id: number, times: number) => void,
    jsModules: Record<string, unknown>,
  ) {
    this.refs.set(WINDOW, { value: globalThis });
    this.refs.set(DOCUMENT, { value: globalThis.document });
    this.refs.set(JS_MODULES, { value: jsModules });
  }

  /** How many references the worker holds, besides the roots. */
  get size(): number {
    return this.refs.size - ROOTS;
  }

  /**
   * A get and the gets of its path: the wire of each, up to the first value
   * that is not an object (Python reads its attributes itself) or the first
   * read of the path that throws, which Python then makes again, alone, to
   * get its error.
   */
  performPath(op: PageOp & { path: (string | number)[] }): Wire[] {
    const wires = [this.perform(op)];
    for (const key of op.path) {
      const last = wires[wires.length - 1]!;
      if (!("ref" in last)) break;
      try {
        wires.push(this.perform({ op: "get", ref: last.ref, key }));
      } catch {
        break;
      }
    }
    return wires;
  }

  perform({ op, ref, key, args = [] }: PageOp): Wire {
    const entry = this.refs.get(ref);
    if (entry === undefined) throw new ReferenceError(`page object #${ref} was released`);
    const target = entry.value as Record<string | number, unknown>;
    const values = args.map((arg) => this.fromWire(arg));
    switch (op) {
      case "get":
        return this.toWire(target[key!], target);
      case "set":
        target[key!] = values[0];
        return { value: undefined };
      case "call":
        if (typeof target !== "function") throw new TypeError(`${describe(target)} is not a function`);
        return this.toWire(Reflect.apply(target, entry.receiver, values));
      case "new":
        if (typeof target !== "function") throw new TypeError(`${describe(target)} is not a constructor`);
        return this.toWire(Reflect.construct(target, values));
    }
  }

  release(refs: number[]): void {
    for (const ref of refs) if (ref >= ROOTS) this.refs.delete(ref);
  }

  toWire(value: unknown, receiver?: unknown): Wire {
    // A symbol is kept by reference, as an object: it cannot be copied, and crosses back as itself.
    if (value === null || (typeof value !== "object" && typeof value !== "function" && typeof value !== "symbol")) return { value };
    const ref = this.next++;
    this.refs.set(ref, { value, receiver });
    return { ref, callable: typeof value === "function" };
  }

  private fromWire(wire: Wire): unknown {
    if ("value" in wire) return wire.value;
    if ("ref" in wire) return this.refs.get(wire.ref)?.value;
    if ("symbol" in wire) return wire.registered ? Symbol.for(wire.symbol) : (Symbol as unknown as Record<string, symbol>)[wire.symbol];
    if (!("callback" in wire)) return undefined; // {value: undefined} whose key a conversion left out (Pyodide's None)
    const id = wire.callback;
    let callback = this.callbacks.get(id);
    let fn = callback?.fn.deref();
    if (callback !== undefined && fn !== undefined) {
      callback.received++;
      return fn;
    }
    fn = (...args: unknown[]) => this.callback(id, args.map((arg) => this.toWire(arg)));
    callback = { id, fn: new WeakRef(fn), received: 1 };
    this.callbacks.set(id, callback);
    this.dropped.register(fn, callback);
    return fn;
  }
}

function describe(value: unknown): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}
