/**
 * Preloaded (`node --import ./scripts/exitWithParent.ts <program>`) into the programs `npm start` runs
 * that are not ours — the local chain (Hardhat) and the dApp's server (Vite) — so that none of them
 * outlives `npm start`, however it dies (SIGKILL included): when the parent is gone, the program gets
 * SIGTERM, and is made to exit if it has not within 5 s. The watch is server/src/lifecycle.ts's.
 */
import { watchParent } from "../server/src/lifecycle.ts";

watchParent((why) => {
  process.stderr.write(`${why}: stopping\n`);
  setTimeout(() => process.exit(1), 5_000).unref();
  process.kill(process.pid, "SIGTERM");
});
