/**
 * A workspace's node:test run with a Postgres server for the store tests' server half (the server's
 * `npm test`, and the auditor's, whose tests use the same stores): node's test runner over the current
 * folder's test/ (or the files given), one file at a time. TEST_DATABASE_URL names a server of your own;
 * without it, one from the npm registry is started for the run and removed after it
 * (support/postgresServer.ts), so every run tests both stores, embedded PGlite and a Postgres server.
 */
import { spawn } from "node:child_process";
import { startPostgresServer, type PostgresServer } from "./support/postgresServer.ts";

const files = process.argv.slice(2);
const args = [
  "--test",
  "--test-concurrency=1",
  "--test-timeout=600000",
  ...(files.length > 0 ? files : ["test/**/*.test.ts"]),
];

let server: PostgresServer | undefined;
const env = { ...process.env };
if (!env.TEST_DATABASE_URL) {
  const started = Date.now();
  server = await startPostgresServer();
  env.TEST_DATABASE_URL = server.url;
  console.log(
    `# Postgres ${server.version} from the npm registry for the store tests (started in ${Date.now() - started} ms)`,
  );
}

const child = spawn(process.execPath, args, {
  cwd: process.cwd(),
  env,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => child.kill(signal));
}
const code = await new Promise<number>((resolve) =>
  child.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))),
);
await server?.stop();
process.exit(code);
