/**
 * The first load's JavaScript: every script index.html loads or preloads, gzipped. Fails above the budget
 * (250 kB), so a heavy import into the start-up path shows in the tests. Run after `vite build`.
 *
 *   node scripts/size.ts [--json]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET = 250 * 1000;
const dist = path.resolve(import.meta.dirname, "..", "dist");
const html = readFileSync(path.join(dist, "index.html"), "utf8");
const files = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const sizes = files.map((file) => ({
  file,
  gzip: gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length,
}));
const total = sizes.reduce((s, f) => s + f.gzip, 0);
if (process.argv.includes("--json"))
  console.log(JSON.stringify({ initialJsGzipBytes: total, files: sizes }));
else
  console.log(
    `Initial JavaScript: ${(total / 1000).toFixed(1)} kB gzip in ${files.length} files (budget ${BUDGET / 1000} kB).`,
  );
if (total > BUDGET) {
  console.error(`Over budget by ${((total - BUDGET) / 1000).toFixed(1)} kB.`);
  process.exit(1);
}
