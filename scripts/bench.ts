// `npm run bench [name ...]`: runs the benchmarks in tests/bench/<name>.bench.ts and
// writes each one's figures under its name in tests/bench/results.json, with the date and
// the machine they were measured on. Commit the file with the change it measures.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./stack.ts";

export type Figures = Record<string, number | string | boolean | Record<string, unknown>>;
export interface Benchmark {
  run(): Promise<Figures>;
}

const dir = path.join(ROOT, "tests", "bench");
const resultsFile = path.join(dir, "results.json");
const available = readdirSync(dir)
  .filter((file) => file.endsWith(".bench.ts"))
  .map((file) => file.replace(/\.bench\.ts$/, ""));
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(", ")}. Available: ${available.join(", ")}`);
  process.exit(2);
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, node ${process.version}`;
const results: Record<string, unknown> = existsSync(resultsFile)
  ? JSON.parse(readFileSync(resultsFile, "utf8"))
  : {};

for (const name of wanted.length ? wanted : available) {
  console.log(`bench ${name}...`);
  const module = (await import(pathToFileURL(path.join(dir, `${name}.bench.ts`)).href)) as Benchmark;
  const figures = await module.run();
  results[name] = { ...figures, date: new Date().toISOString(), machine };
  console.log(JSON.stringify(figures, null, 2));
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
}
