/**
 * Relayer benchmark: a relayed vote end to end, from the signed ballot arriving at the relayer's HTTP
 * endpoint to the relay's status reading "mined" — the checks (signature, membership, nonce, rate limit,
 * simulation, budget), the store, the single sender and the receipt — on a local Hardhat node that mines
 * each transaction at once (on a real chain, add the wait for a block).
 *
 *   npm run bench:relayer
 *
 * Members admitted by one vote, each left with zero ETH, vote one after the other on one proposal (the
 * latency), then as many change their consent all at once (throughput through the one sender). The store is
 * PGlite in a data folder, the indexer's default. Writes bench/results/relayer.json and the README block.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { createNode } from "@datacoop/server";
import type { RelayerState } from "../server/src/relayer/relayer.ts";
import {
  typedDataOf,
  type ConsentRequest,
  type SignedRelayRequest,
  type VoteRequest,
} from "@datacoop/protocol/typedData";
import { RELAYER_PATH } from "../server/src/http/app.ts";
import { startChain } from "@datacoop/server/testing/chain";
import { coop } from "@datacoop/server/testing/coop";
import { retrying } from "@datacoop/server/testing/wait";
import { updateReadmeSection, writeGatewayResults } from "./readme.ts";

const MEMBERS = Number(process.env.BENCH_RELAY_MEMBERS ?? 40);
const POLL_MS = 5;
/** The burst's clients poll less often, so that their polling does not crowd out the relays. */
const BURST_POLL_MS = 50;
const TARGET_P50_MS = 1_000;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
const ms = (v: number) => Math.round(v * 10) / 10;

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50: ms(quantile(sorted, 0.5)),
    p95: ms(quantile(sorted, 0.95)),
    max: ms(sorted[sorted.length - 1]),
  };
}

async function sign<R extends SignedRelayRequest>(
  account: PrivateKeyAccount,
  unsigned: Omit<R, "signature">,
  domain: RelayerState["domains"]["governor"],
): Promise<Record<string, unknown>> {
  const request = { ...unsigned, signature: "0x" } as unknown as R;
  const signature = await account.signTypedData(
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it tsc widens the value and rejects the call
    typedDataOf(request, domain) as Parameters<PrivateKeyAccount["signTypedData"]>[0],
  );
  const { kind: _kind, ...rest } = { ...request, signature } as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(rest).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v]),
  );
}

const chain = retrying(await startChain());
const dataDir = await mkdtemp(path.join(os.tmpdir(), "coop-bench-relayer-"));
try {
  const c = coop(chain);
  const members = Array.from({ length: MEMBERS }, () => privateKeyToAccount(generatePrivateKey()));
  console.log(`Admitting ${MEMBERS} members by one vote…`);
  await c.pass(
    members.map((m) => c.call("membership", "admit", [m.address])),
    `# Admit ${MEMBERS} members`,
  );
  for (const m of members) await chain.testClient.setBalance({ address: m.address, value: 0n });
  const proposal = await c.propose(
    0,
    [c.call("membership", "admit", [chain.accounts[13].address])],
    "# Admit account 13",
  );
  await c.warp(2);

  // The server as `npm run server` builds it, serving the relayer; the follower and operator stay idle.
  const node = await createNode({
    deployment: chain.deployment,
    rpcUrl: chain.rpcUrl,
    client: chain.publicClient,
    store: { dataDir },
    operator: false,
    relayer: { account: chain.accounts[19], limits: { gasBudgetWei: 10n ** 19n } },
  });
  const { db } = node;
  const base = `http://127.0.0.1:${await node.start({ follow: false })}${RELAYER_PATH}`;
  const state = (await (await fetch(base)).json()) as RelayerState;

  /** POSTs a signed body and polls its status until mined; returns ms from POST to "mined". */
  async function relay(
    pathName: string,
    body: Record<string, unknown>,
    pollMs = POLL_MS,
  ): Promise<number> {
    const started = performance.now();
    const res = await fetch(`${base}${pathName}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const accepted = (await res.json()) as { id: string; error?: unknown };
    if (res.status !== 202) throw new Error(`${res.status} ${JSON.stringify(accepted)}`);
    for (;;) {
      const status = (await (await fetch(`${base}/relays/${accepted.id}`)).json()) as {
        status: string;
        error: unknown;
      };
      if (status.status === "mined") return performance.now() - started;
      if (status.status === "failed") throw new Error(JSON.stringify(status.error));
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  console.log(`${MEMBERS} relayed votes, one after the other…`);
  const ballots = await Promise.all(
    members.map((m) =>
      sign<VoteRequest>(
        m,
        {
          kind: "vote",
          voter: m.address,
          proposalId: proposal.id,
          support: 1,
          nonce: 0n,
        },
        state.domains.governor,
      ),
    ),
  );
  const voteLatencies: number[] = [];
  for (const ballot of ballots) voteLatencies.push(await relay("/votes", ballot));

  console.log(`${MEMBERS} consent changes at once…`);
  const deadline = (await chain.publicClient.getBlock()).timestamp + 600n;
  const changes = await Promise.all(
    members.map(async (m) => {
      return sign<ConsentRequest>(
        m,
        {
          kind: "consent",
          member: m.address,
          mask: 0b11n,
          signedAt: deadline - 600n,
          deadline,
        },
        state.domains.consent,
      );
    }),
  );
  const burstStarted = performance.now();
  const burstLatencies = await Promise.all(
    changes.map((b) => relay("/consents", b, BURST_POLL_MS)),
  );
  const burstSeconds = (performance.now() - burstStarted) / 1000;

  const votes = await c.read<[bigint, bigint, bigint]>("governor", "proposalVotes", [proposal.id]);
  if (votes[1] !== BigInt(MEMBERS))
    throw new Error(`expected ${MEMBERS} votes For, got ${votes[1]}`);
  const serverSide = await db.query<{ ms: string }>(
    `SELECT (extract(epoch FROM finished_at - created_at) * 1000)::text AS ms
     FROM relayer_relays WHERE kind = 'vote' AND status = 'mined'`,
  );
  const finalState = (await (await fetch(base)).json()) as RelayerState;
  await node.stop();

  const vote = stats(voteLatencies);
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
    chain: "local Hardhat node, automine (each transaction mined at once)",
    store: "PGlite (data folder)",
    members: MEMBERS,
    relayedVote: {
      ...vote,
      unit: "ms, POST of the signed ballot → GET status reads mined (client polls every 5 ms)",
      serverSide: stats(serverSide.rows.map((r) => Number(r.ms))),
      target: { p50: TARGET_P50_MS },
      met: vote.p50 <= TARGET_P50_MS,
    },
    consentBurst: {
      relays: MEMBERS,
      seconds: Math.round(burstSeconds * 100) / 100,
      perSecond: Math.round(MEMBERS / burstSeconds),
      latency: stats(burstLatencies),
    },
    gasSpentWei: finalState.budget.spentWei,
  };
  const outDir = path.join(import.meta.dirname, "results");
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, "relayer.json"), JSON.stringify(result, null, 2) + "\n");
  await writeGatewayResults({ relayer: result });
  console.log(JSON.stringify(result, null, 2));

  const fmt = (v: number) => `${v.toLocaleString("en-US")} ms`;
  await updateReadmeSection(
    "relayer",
    [
      `Relayed votes by ${MEMBERS} members with zero ETH, one after the other, on a local Hardhat node that mines each transaction at once; PGlite store; ${os.cpus().length} CPU cores.`,
      "",
      "| Measure | p50 | p95 | max | Target p50 | Met |",
      "| --- | ---: | ---: | ---: | ---: | --- |",
      `| Relayed vote, signed ballot received → mined | ${fmt(vote.p50)} | ${fmt(vote.p95)} | ${fmt(vote.max)} | ≤ ${fmt(TARGET_P50_MS)} | ${result.relayedVote.met ? "yes" : "no"} |`,
      `| ${MEMBERS} consent changes sent at once, each received → mined | ${fmt(result.consentBurst.latency.p50)} | ${fmt(result.consentBurst.latency.p95)} | ${fmt(result.consentBurst.latency.max)} | - | - |`,
      "",
      `The burst took ${result.consentBurst.seconds} s (${result.consentBurst.perSecond} relays/s on cores shared with the node; the checks before acceptance — the calls to the node, the simulation above all — take most of it, not the one sender). On a public chain add the wait for the next block. Raw numbers: [bench/results/relayer.json](bench/results/relayer.json).`,
    ].join("\n"),
  );
} finally {
  await chain.stop();
  await rm(dataDir, { recursive: true, force: true });
}
