/**
 * The parts share definitions through this package and published entry points only. No workspace
 * (protocol, server, auditor, web) imports a file of another except through that package's published
 * entry points (its package.json `exports`): the protocol package's modules, the server's `createNode`
 * and its test harness (`@datacoop/server/testing/…`), the auditor's library. The protocol package imports
 * no other part at all. A workspace's own code (src/) imports nothing from the repository's root project
 * (scripts/, ignition/, bench/) either; its tests may (they check the demo that `npm start` runs).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const WORKSPACES = ["protocol", "server", "auditor", "web"] as const;
type Workspace = (typeof WORKSPACES)[number];

const SPECIFIER =
  /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|\bexport\s+\*\s+from\s+)["']([^"']+)["']/g;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (["node_modules", "dist", "test-results"].includes(entry.name)) continue;
    if (entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(full));
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      out.push(full);
    }
  }
  return out;
}

function workspaceOf(file: string): Workspace | undefined {
  const top = path.relative(ROOT, file).split(path.sep)[0];
  return WORKSPACES.find((w) => w === top);
}

/** The subpaths a workspace publishes: the keys of its package.json `exports`. */
function exportsOf(workspace: Workspace): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, workspace, "package.json"), "utf8")) as {
    exports?: string | Record<string, string>;
  };
  if (pkg.exports === undefined) return [];
  return typeof pkg.exports === "string" ? ["."] : Object.keys(pkg.exports);
}

function published(workspace: Workspace, subpath: string): boolean {
  return exportsOf(workspace).some((key) => {
    if (!key.includes("*")) return key === subpath;
    const [head, tail] = key.split("*") as [string, string];
    return subpath.startsWith(head) && subpath.endsWith(tail) && subpath.length > head.length;
  });
}

/** The imports of `text` (a file at `file`) that cross a boundary, as "file: specifier (why)". */
export function crossingsIn(file: string, text: string): string[] {
  const workspace = workspaceOf(file);
  if (!workspace) return [];
  const isSource = path.relative(path.join(ROOT, workspace), file).split(path.sep)[0] === "src";
  const found: string[] = [];
  for (const [, spec] of text.matchAll(SPECIFIER)) {
    if (!spec) continue;
    const where = `${path.relative(ROOT, file)}: ${spec}`;
    if (spec.startsWith(".")) {
      const target = workspaceOf(path.resolve(path.dirname(file), spec));
      if (target === workspace) continue;
      if (target) found.push(`${where} (into ${target}: import a published entry point instead)`);
      else if (isSource || workspace === "protocol") found.push(`${where} (into the root project)`);
      continue;
    }
    const named = /^@datacoop\/([^/]+)(\/.*)?$/.exec(spec);
    if (!named) continue;
    const other = named[1] as Workspace;
    if (other === workspace) found.push(`${where} (a package importing itself by name)`);
    else if (workspace === "protocol")
      found.push(`${where} (the protocol depends on no other part)`);
    else if (!WORKSPACES.includes(other) || !published(other, `.${named[2] ?? ""}`)) {
      found.push(`${where} (not a published entry point)`);
    }
  }
  return found;
}

describe("workspace boundaries", () => {
  it("no workspace imports another's files except through its published entry points", () => {
    const found = WORKSPACES.flatMap((w) =>
      sources(path.join(ROOT, w)).flatMap((file) => crossingsIn(file, readFileSync(file, "utf8"))),
    );
    assert.deepEqual(found, []);
  });

  it("sees each kind of crossing", () => {
    // Written so that this file's own text holds no import of the kind it checks for.
    const line = (spec: string) => ["import { x } from", `"${spec}";`].join(" ");
    const at = (...parts: string[]) => path.join(ROOT, ...parts);
    const check = (file: string, spec: string) => crossingsIn(file, line(spec)).length;
    // Relative paths into another workspace, from source or test files.
    assert.equal(check(at("web", "src", "a.ts"), "../../server/src/store/db.ts"), 1);
    assert.equal(
      check(at("auditor", "test", "a.test.ts"), "../../server/test/support/chain.ts"),
      1,
    );
    // An unpublished subpath; a published one; the protocol importing another part; a self-import.
    assert.equal(check(at("web", "src", "a.ts"), "@datacoop/server/src/main.ts"), 1);
    assert.equal(check(at("web", "e2e", "a.ts"), "@datacoop/server/testing/chain"), 0);
    assert.equal(check(at("auditor", "src", "a.ts"), "@datacoop/protocol/canonical"), 0);
    assert.equal(check(at("protocol", "src", "a.ts"), "@datacoop/server"), 1);
    assert.equal(check(at("server", "src", "a.ts"), "@datacoop/server/testing/chain"), 1);
    // The root project: never from a workspace's src, allowed from its tests.
    assert.equal(check(at("server", "src", "a.ts"), "../../scripts/demo.ts"), 1);
    assert.equal(check(at("web", "test", "a.test.ts"), "../../scripts/demo.ts"), 0);
    // Within a workspace: anything.
    assert.equal(check(at("server", "test", "a.test.ts"), "../src/store/db.ts"), 0);
  });
});
