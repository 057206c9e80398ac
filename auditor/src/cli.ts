/**
 * `npm run audit -- --rpc URL --deployment FILE [--gateway URL] [--block N] [--json]`
 *
 * Exit code 0 when every check passes, 1 on any violation, 2 when the audit could not run (bad
 * arguments, an unreachable node, an unreadable record).
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { parseDeployment, type Deployment } from "@datacoop/protocol/deployment";
import { audit } from "./audit.ts";
import { renderText } from "./report.ts";

const USAGE = `Usage: npm run audit -- --rpc URL --deployment FILE [--gateway URL] [--block N] [--chunk N] [--json]

  --rpc URL          a JSON-RPC endpoint of the co-op's chain (or RPC_URL)
  --deployment FILE  the deployment record written by the deploy command (or DEPLOYMENT)
  --gateway URL      the base URL of the indexer serving the gateway (e.g. http://127.0.0.1:8600; its /proofs
                     or /gateway URL works too): also check the access log through its /proofs endpoints
  --block N          audit the chain as of block N (default: the latest)
  --chunk N          blocks per getLogs request (default 10000)
  --json             print the report as JSON`;

async function loadDeployment(file: string): Promise<Deployment> {
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      error.code === "ENOENT"
        ? `No deployment at ${file}: give --deployment the co-op's deployment record (deployments/<network>.json).`
        : `Cannot read the deployment ${file}: ${error.message}`,
    );
  });
  return parseDeployment(text, file);
}

async function main(): Promise<number> {
  let values;
  try {
    values = parseArgs({
      options: {
        rpc: { type: "string" },
        deployment: { type: "string" },
        gateway: { type: "string" },
        block: { type: "string" },
        chunk: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const rpcUrl = values.rpc ?? process.env.RPC_URL;
  const file = values.deployment ?? process.env.DEPLOYMENT;
  if (!rpcUrl || !file) {
    console.error(`Both --rpc and --deployment are required.\n\n${USAGE}`);
    return 2;
  }
  const whole = (text: string | undefined, name: string) => {
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text)) throw new Error(`--${name} must be a whole number`);
    return BigInt(text);
  };
  // Relative paths are relative to where the command was typed (npm runs scripts from the root).
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const path = await import("node:path");
  const deployment = await loadDeployment(path.resolve(cwd, file));

  const tty = Boolean(process.stderr.isTTY) && !values.json;
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: "Reading events {bar} {percentage}% | blocks {value}/{total} | {events} events",
          hideCursor: true,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let started = false;
  let logBar: cliProgress.SingleBar | undefined;
  const report = await audit({
    rpcUrl,
    deployment,
    gatewayUrl: values.gateway,
    block: whole(values.block, "block"),
    chunk: whole(values.chunk, "chunk"),
    onProgress: (done, total, events) => {
      if (!bar) return;
      if (!started) {
        bar.start(Number(total), 0, { events: 0 });
        started = true;
      }
      bar.update(Number(done), { events: events.toLocaleString("en") });
    },
    onLogProgress: (read, known) => {
      if (!tty) return;
      if (!logBar) {
        bar?.stop();
        logBar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: "Reading the access log {bar} {percentage}% | entries {value}/{total}",
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        );
        logBar.start(known, 0);
      }
      // Past the anchored entries the log's length is learnt as it is read.
      if (known !== logBar.getTotal()) logBar.setTotal(known);
      logBar.update(read);
    },
  }).finally(() => {
    bar?.stop();
    logBar?.stop();
  });

  console.log(values.json ? JSON.stringify(report, null, 2) : renderText(report));
  return report.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      `The audit could not run: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 2;
  },
);
