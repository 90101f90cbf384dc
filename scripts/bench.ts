// `npm run bench [name ...]`: runs the benchmarks in tests/bench/<name>.bench.ts and
// writes each one's figures under its name in tests/bench/results.json, with the date and
// the machine they were measured on. Commit the file with the change it measures.
// A benchmark that exports `sections = true` returns figures for several top-level keys;
// one that returns nothing records nothing. Other arguments (`--flag value`) are left in
// process.argv for the benchmarks: `npm run bench -- recommend --baskets FILE`.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./stack.ts";

export type Figures = Record<string, number | string | boolean | Record<string, unknown>>;
export interface Benchmark {
  sections?: boolean;
  run(): Promise<Figures | Record<string, Figures> | undefined>;
}

const dir = path.join(ROOT, "tests", "bench");
const resultsFile = path.join(dir, "results.json");
const available = readdirSync(dir)
  .filter((file) => file.endsWith(".bench.ts"))
  .map((file) => file.replace(/\.bench\.ts$/, ""));
const args = process.argv.slice(2);
/** Benchmark names: arguments that are not flags, nor a flag's value (a name is never a value). */
const wanted = args.filter((arg, i) => !arg.startsWith("-") && (available.includes(arg) || !args[i - 1]?.startsWith("-")));
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
  if (!figures) continue;
  const sections = (module.sections ? figures : { [name]: figures }) as Record<string, Figures>;
  for (const [key, section] of Object.entries(sections)) results[key] = { ...section, date: new Date().toISOString(), machine };
  console.log(JSON.stringify(figures, null, 2));
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
}
