// The parts of Node's test runner the unit tests use (Node runs them; see unit_test.go).

declare module "node:test" {
  export function test(name: string, fn: () => void | Promise<void>): void;
  export const mock: {
    timers: { enable(options?: { apis: string[] }): void; tick(ms: number): void; reset(): void };
  };
}

declare module "node:assert/strict" {
  const assert: {
    equal(actual: unknown, expected: unknown, message?: string): void;
    notEqual(actual: unknown, expected: unknown, message?: string): void;
    deepEqual(actual: unknown, expected: unknown, message?: string): void;
    throws(fn: () => unknown, expected?: RegExp, message?: string): void;
    rejects(promise: Promise<unknown>, expected?: RegExp, message?: string): Promise<void>;
    ok(value: unknown, message?: string): void;
  };
  export default assert;
}

declare module "node:worker_threads" {
  export const isMainThread: boolean;
  export const workerData: unknown;
  export const parentPort: { postMessage(message: unknown): void } | null;
  export class Worker {
    constructor(url: URL, options?: { workerData?: unknown });
    on(event: "message" | "error", listener: (value: unknown) => void): void;
    terminate(): Promise<number>;
  }
}
