// npm run bench [-- name …]: runs the benchmarks, prints their figures, and records them in docs/benchmarks.md.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Bench } from "./lib.js";
import { root } from "./lib.js";
import { benches } from "./registry.js";

const wanted = process.argv.slice(2);
const selected: Bench[] = wanted.length ? benches.filter((b) => wanted.includes(b.name)) : benches;
if (wanted.length && selected.length !== wanted.length) {
  console.error(`Unknown benchmark. Available: ${benches.map((b) => b.name).join(", ")}`);
  process.exit(2);
}

const file = join(root, "docs", "benchmarks.md");
let doc = existsSync(file)
  ? readFileSync(file, "utf8")
  : "# Benchmarks\n\nWritten by `npm run bench`. Each section is replaced when its benchmark runs again; every figure is\ncompared with a baseline measured in the same run on the same machine (2 cores).\n";

for (const bench of selected) {
  console.log(`\n== ${bench.title} (${bench.name})`);
  const started = Date.now();
  const result = await bench.run();
  for (const line of result.lines) console.log(line);
  const date = new Date().toISOString().slice(0, 16).replace("T", " ");
  const section = [
    `<!-- bench:${bench.name} -->`,
    `## ${bench.title}`,
    "",
    `Run ${date} UTC, Node ${process.version}, ${((Date.now() - started) / 1000).toFixed(0)} s.`,
    "",
    ...result.lines,
    `<!-- /bench:${bench.name} -->`,
  ].join("\n");
  const re = new RegExp(`<!-- bench:${bench.name} -->[\\s\\S]*?<!-- /bench:${bench.name} -->`);
  doc = re.test(doc) ? doc.replace(re, section) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, doc);
}
console.log(`\nFigures written to ${file}`);
