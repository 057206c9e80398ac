/**
 * Benchmarks show their numbers in the README: each one replaces the block between
 * `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->` with its latest tables.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import * as prettier from "prettier";

const README = path.resolve(import.meta.dirname, "..", "README.md");

export async function updateReadmeSection(name: string, markdown: string): Promise<void> {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const text = await readFile(README, "utf8");
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} block`);
  const updated =
    text.slice(0, from + start.length) + "\n\n" + markdown.trim() + "\n\n" + text.slice(to);
  const options = (await prettier.resolveConfig(README)) ?? {};
  await writeFile(README, await prettier.format(updated, { ...options, filepath: README }));
}

/**
 * The gateway's numbers are kept together in bench/results/gateway.json: the gateway benchmark writes its
 * queries and enforcement at the top level, the proofs and relayer benchmarks their own `proofs` and
 * `relayer` fields; each run replaces only the fields it gives.
 */
export async function writeGatewayResults(fields: Record<string, unknown>): Promise<void> {
  const file = path.resolve(import.meta.dirname, "results", "gateway.json");
  const current = await readFile(file, "utf8").then(
    (text) => JSON.parse(text) as Record<string, unknown>,
    () => ({}),
  );
  await writeFile(file, JSON.stringify({ ...current, ...fields }, null, 2) + "\n");
}
