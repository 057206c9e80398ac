/**
 * The Chromium the end-to-end runs and bench:web drive. CHROMIUM_PATH when set; otherwise Debian's at
 * /usr/bin/chromium when it is there and executable (it starts faster: nothing to unpack); otherwise the
 * build inside the @sparticuz/chromium npm package, so a machine with only Node and npm runs them too.
 *
 * That build is unpacked once per version into the temp folder, with the libraries it links beyond glibc
 * (NSS, NSPR and expat, from the package's al2023 archive) and its fonts: it then needs nothing from the
 * system's packages. It is unpacked into a folder of its own and renamed into place when complete, so
 * test processes starting together never run a half-written binary.
 */
import { accessSync, constants, existsSync } from "node:fs";
import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

export interface ChromiumBinary {
  executablePath: string;
  /** Environment the browser needs (its libraries and fonts), added to the test process's own. */
  env: Record<string, string>;
  source: "CHROMIUM_PATH" | "debian" | "npm";
}

const DEBIAN = "/usr/bin/chromium";

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

let found: Promise<ChromiumBinary> | undefined;

export function findChromium(): Promise<ChromiumBinary> {
  return (found ??= locate());
}

async function locate(): Promise<ChromiumBinary> {
  const given = process.env.CHROMIUM_PATH;
  if (given) return { executablePath: given, env: {}, source: "CHROMIUM_PATH" };
  // A bind-mounted /dev/null or a stray file exists without being runnable: test execution, not presence.
  if (executable(DEBIAN)) return { executablePath: DEBIAN, env: {}, source: "debian" };
  return unpackNpmChromium();
}

async function unpackNpmChromium(): Promise<ChromiumBinary> {
  const require = createRequire(import.meta.url);
  // Its entry is build/index.js; its package.json is not exported, so it is found from there.
  const root = path.resolve(path.dirname(require.resolve("@sparticuz/chromium")), "..");
  const { version } = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as {
    version: string;
  };
  const dir = path.join(os.tmpdir(), `datacoop-chromium-${version}`);
  const binary = (folder: string): ChromiumBinary => ({
    executablePath: path.join(folder, "chromium"),
    env: {
      LD_LIBRARY_PATH: [path.join(folder, "al2023", "lib"), process.env.LD_LIBRARY_PATH]
        .filter(Boolean)
        .join(":"),
      FONTCONFIG_FILE: path.join(folder, "fonts.conf"),
    },
    source: "npm",
  });
  if (existsSync(path.join(dir, "complete"))) return binary(dir);

  const staging = await mkdtemp(`${dir}-unpacking-`);
  const { default: Chromium, inflate } = await import("@sparticuz/chromium");
  // The package unpacks into os.tmpdir(), which follows TMPDIR: point it at the staging folder meanwhile.
  const savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    const bin = path.join(root, "bin");
    await Chromium.executablePath(bin);
    await inflate(path.join(bin, "al2023.tar.br"));
  } finally {
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
  }
  // The package's fonts.conf names its Lambda folders; this one names the unpacked fonts and the system's.
  await writeFile(
    path.join(staging, "fonts.conf"),
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${path.join(dir, "fonts")}</dir>
  <dir>/usr/share/fonts</dir>
  <cachedir>${path.join(dir, "fonts-cache")}</cachedir>
</fontconfig>
`,
  );
  await writeFile(path.join(staging, "complete"), `${version}\n`);
  try {
    await rename(staging, dir);
  } catch {
    // Another process finished first: use its copy.
    await rm(staging, { recursive: true, force: true });
  }
  return binary(dir);
}
