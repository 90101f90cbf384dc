// Runs a JavaScript Shopify Function the way Shopify runs one, as near as this machine allows.
//
// Shopify CLI builds a JS Function by bundling the extension's source with esbuild into one
// script and compiling it with Javy (QuickJS inside) to Wasm; the Function reads its input as
// JSON, calls the target's export and writes the output as JSON. Javy cannot be downloaded
// here, so we bundle the same way and run the script under QuickJS compiled to Wasm
// (quickjs-emscripten): the same engine family, with no Node or browser APIs (no `process`,
// `require`, `fetch`, timers or `setTimeout`), only a `console` that collects log lines, as
// Javy gives one.
//
// Cost: Shopify limits a run to 11 million Wasm instructions, which QuickJS in Wasm cannot
// count from outside. QuickJS calls its interrupt handler periodically while it interprets
// (every few thousand bytecode branches and calls), so the number of handler calls is a
// proxy for the work the script did: `instructions` below is that count, not Wasm
// instructions. Compare it between Functions (e.g. against a no-op reading the same input);
// do not compare it with Shopify's 11 million directly.
import { readFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { getQuickJS, type QuickJSHandle, type QuickJSWASMModule } from "quickjs-emscripten";
import { parse as parseToml } from "smol-toml";

export interface FunctionRun {
  output: unknown;
  /** Interrupt-handler calls during the run: a proxy for the instructions executed (see above). */
  instructions: number;
  /** Wall time of the run in QuickJS (script start-up, JSON in, the Function, JSON out), ms. */
  ms: number;
  /**
   * The same without loading the script (JSON in, the Function, JSON out), ms. Javy compiles a
   * Function's JS to QuickJS bytecode when it builds the Wasm, so Shopify's runs pay this part only.
   */
  runMs: number;
  /** What the Function wrote with console.log / console.error. */
  logs: string[];
}

export interface LoadedFunction {
  run(input: unknown): FunctionRun;
  target: string;
  exportName: string;
  /** The input query's text (the toml's `input_query`). */
  inputQuery: string;
  /** The bundled script, as it would go to Javy. */
  script: string;
}

export interface LoadOptions {
  /** Bundle this file instead of the extension's `src/run.ts` (a no-op Function for a benchmark). */
  entry?: string;
  /** Which of the toml's targets; the first when left out. */
  target?: string;
  /** Memory limit of the QuickJS runtime, bytes (default 64 MiB). */
  memoryBytes?: number;
  /** Wall-time limit of one run, ms (default 5 s). */
  timeoutMs?: number;
  /** Stops a run after this many interrupt-handler calls (default: no limit but the time). */
  maxInstructions?: number;
}

export class FunctionRunError extends Error {
  readonly logs: string[];
  constructor(message: string, logs: string[]) {
    super(message);
    this.name = "FunctionRunError";
    this.logs = logs;
  }
}

interface ExtensionToml {
  extensions?: { targeting?: { target: string; input_query?: string; export?: string }[] }[];
}

let quickjs: Promise<QuickJSWASMModule> | null = null;

/** Bundles `entry` to one script that defines `globalThis.__function`, the module's exports. */
export async function bundleFunction(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "iife",
    globalName: "__function",
    // Neutral: no Node built-ins resolve, so a Function importing one fails to build here as with Javy.
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2020",
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

/** Loads an extension (a folder with `shopify.extension.toml`), bundles its Function and returns a runner. */
export async function loadFunction(extensionDir: string, options: LoadOptions = {}): Promise<LoadedFunction> {
  const toml = parseToml(readFileSync(path.join(extensionDir, "shopify.extension.toml"), "utf8")) as ExtensionToml;
  const targets = toml.extensions?.flatMap((e) => e.targeting ?? []) ?? [];
  const targeting = options.target ? targets.find((t) => t.target === options.target) : targets[0];
  if (!targeting?.input_query || !targeting.export) {
    throw new Error(`${extensionDir}: shopify.extension.toml has no [[extensions.targeting]] with input_query and export${options.target ? ` for ${options.target}` : ""}.`);
  }
  // The toml names the export in kebab case in Shopify's templates; the JS export is its camel case.
  const exportName = targeting.export.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const inputQuery = readFileSync(path.join(extensionDir, targeting.input_query), "utf8");
  const script = await bundleFunction(options.entry ?? path.join(extensionDir, "src", "run.ts"));
  const engine = await (quickjs ??= getQuickJS());
  const memoryBytes = options.memoryBytes ?? 64 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxInstructions = options.maxInstructions ?? Infinity;

  function run(input: unknown): FunctionRun {
    const inputJson = JSON.stringify(input);
    const logs: string[] = [];
    // A fresh runtime per run, as each Shopify Function run is a fresh instance.
    const runtime = engine.newRuntime();
    runtime.setMemoryLimit(memoryBytes);
    runtime.setMaxStackSize(1024 * 1024);
    let interrupts = 0;
    let stopped: string | null = null;
    const started = performance.now();
    runtime.setInterruptHandler(() => {
      interrupts++;
      if (performance.now() - started > timeoutMs) stopped = `ran longer than ${timeoutMs} ms`;
      else if (interrupts > maxInstructions) stopped = `exceeded ${maxInstructions} interrupt-handler calls`;
      return stopped !== null;
    });
    const vm = runtime.newContext();
    try {
      const consoleObject = vm.newObject();
      for (const level of ["log", "error", "warn", "info"]) {
        const fn = vm.newFunction(level, (...args) => {
          logs.push(args.map((a) => String(vm.dump(a))).join(" "));
        });
        vm.setProp(consoleObject, level, fn);
        fn.dispose();
      }
      vm.setProp(vm.global, "console", consoleObject);
      consoleObject.dispose();
      const inputHandle = vm.newString(inputJson);
      vm.setProp(vm.global, "__input", inputHandle);
      inputHandle.dispose();

      // The script first (Javy compiles it to bytecode ahead of time, so Shopify does not pay
      // this part on each run), then the call: JSON in, the Function, JSON out.
      const fail = (handle: QuickJSHandle): never => {
        const error = vm.dump(handle) as { name?: string; message?: string; stack?: string } | string;
        handle.dispose();
        const detail = typeof error === "object" && error ? `${error.name ?? "Error"}: ${error.message ?? ""}${error.stack ? `\n${error.stack}` : ""}` : String(error);
        throw new FunctionRunError(stopped ? `The Function was stopped: it ${stopped}.` : `The Function threw: ${detail}`, logs);
      };
      const loaded = vm.evalCode(script, "function.js");
      if (loaded.error) fail(loaded.error);
      else loaded.value.dispose();
      const callStarted = performance.now();
      const result = vm.evalCode(`(function () {
  var fn = __function && __function[${JSON.stringify(exportName)}];
  if (typeof fn !== "function") throw new Error("The Function has no export named ${exportName}.");
  return JSON.stringify(fn(JSON.parse(__input)));
})()`, "run.js");
      const ended = performance.now();
      const ms = ended - started;
      const runMs = ended - callStarted;
      if (result.error) fail(result.error);
      const value = (result as { value: QuickJSHandle }).value;
      const text = vm.dump(value) as unknown;
      value.dispose();
      if (typeof text !== "string") throw new FunctionRunError("The Function returned nothing.", logs);
      return { output: JSON.parse(text), instructions: interrupts, ms, runMs, logs };
    } finally {
      vm.dispose();
      runtime.dispose();
    }
  }

  return { run, target: targeting.target, exportName, inputQuery, script };
}
