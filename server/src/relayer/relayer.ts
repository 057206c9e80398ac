/**
 * The relayer: members without ETH vote, change their consent, opt out of grants and make proposals by signature,
 * and collect their shares of fees; the co-op's relayer key pays the gas.
 *
 * Nothing is sent until every check passed, cheapest first: the signature recovers to the member for this
 * chain and this contract (the contract's own EIP-712 domain), the deadline is ahead, the signer is a member
 * now, the signature is in order (a ballot's nonce is 0; a consent change or grant choice is later than the member's
 * latest decision and within their membership; a second relay of a signature in flight is refused), the
 * member is within their hourly number of relays, the call succeeds in simulation against the latest
 * block (otherwise the decoded custom error is returned), its gas fits the per-transaction cap, the
 * operator's gas budget and the relayer's balance. Then the relay is stored and queued for the single
 * sender (`sender.ts`); its status is kept in the store, so it survives restarts.
 *
 * A claim carries no signature (Revenue pays the member whoever sends it), so what keeps claims from draining the
 * budget is this: only a member's claim, only of shares the contract still owes them (`nothing_to_claim` otherwise,
 * before anything is simulated), each share relayed once (`already_relayed` while a claim of it is in flight or
 * mined), at most `claimsPerMemberPerDay` claims per member a day. Proposals are held to `proposalsPerMemberPerDay`.
 * The budget, the limits and the insert that follows them are decided under one store-wide lock, so several
 * processes sharing a store share the budget exactly.
 */
import { randomUUID } from "node:crypto";
import {
  getAddress,
  hashTypedData,
  keccak256,
  recoverTypedDataAddress,
  type Abi,
  type Address,
  type Hex,
  type LocalAccount,
  type PublicClient,
} from "viem";
import {
  consentAbi,
  governorAbi,
  membershipAbi,
  revenueAbi,
} from "@datacoop/protocol/abis.generated";
import type { Deployment } from "@datacoop/protocol/deployment";
import { silentLogger, type Logger } from "../log.ts";
import type { Db, Queryable } from "../store/db.ts";
import { HIGH_S_MESSAGE, isHighS } from "@datacoop/protocol/signature";
import { RelayerError } from "./errors.ts";
import { decodeRevertData, describeRevert, revertDataOf, shortMessage } from "./revert.ts";
import { createSender, type Sender } from "./sender.ts";
import {
  getRelay,
  insertRelay,
  liveClaimOf,
  liveRelayOf,
  lockBudget,
  relaysSince,
  spending,
  type RelayRow,
  type RelayStatus,
} from "./store.ts";
import {
  calldataOf,
  claimGrantIds,
  replayKeyOf,
  requestJson,
  signerOf,
  targetOf,
  typedDataOf,
  type Eip712Domain,
  type ClaimRequest,
  type RelayKind,
  type RelayRequest,
  type SignedRelayRequest,
} from "@datacoop/protocol/typedData";

export interface RelayerLimits {
  /** Relays accepted per member per rolling hour. */
  relaysPerMemberPerHour: number;
  /** Wei the relayer may spend on gas (gas × price of every transaction) per budget period. */
  gasBudgetWei: bigint;
  /** The budget's period in hours; 0: the budget covers everything ever relayed from this store. */
  budgetPeriodHours: number;
  /** Largest gas limit of one relayed transaction. */
  maxGasPerTransaction: bigint;
  /** A signed change must stay valid at least this long after it arrives (it needs a block). */
  deadlineMarginSeconds: number;
  /** Claims (of one or several shares) accepted per member per rolling day. */
  claimsPerMemberPerDay: number;
  /** Proposals accepted per member per rolling day. */
  proposalsPerMemberPerDay: number;
}

export const DEFAULT_LIMITS: Omit<RelayerLimits, "gasBudgetWei"> = {
  relaysPerMemberPerHour: 30,
  budgetPeriodHours: 0,
  maxGasPerTransaction: 1_000_000n,
  deadlineMarginSeconds: 15,
  claimsPerMemberPerDay: 4,
  proposalsPerMemberPerDay: 3,
};

/** The kinds the relayer takes, as the paths of `POST /relayer/<path>` (served by `GET /relayer` as `accepts`). */
export const RELAY_PATHS = ["votes", "consents", "grant-choices", "claims", "proposals"] as const;

export interface RelayerOptions {
  db: Db;
  client: PublicClient;
  /** The key that pays: from RELAYER_PRIVATE_KEY, a key file or the keystore; never the repository. */
  account: LocalAccount;
  deployment: Deployment;
  limits: Partial<RelayerLimits> & { gasBudgetWei: bigint };
  /** How often sent transactions are checked for a receipt (default 250 ms). */
  pollIntervalMs?: number;
  logger?: Logger;
  /** Wall clock in ms (tests). */
  now?: () => number;
  onFinished?: (id: string) => void;
}

export interface RelayView {
  id: string;
  kind: RelayKind;
  signer: Address;
  contract: Address;
  status: RelayStatus;
  request: Record<string, unknown>;
  createdAt: string;
  txHash: Hex | null;
  blockNumber: string | null;
  blockHash: Hex | null;
  gasUsed: string | null;
  costWei: string | null;
  finishedAt: string | null;
  error: { code: string; message: string; name?: string; args?: unknown[] } | null;
}

export interface RelayerState {
  chainId: number;
  address: Address;
  balanceWei: string;
  budget: {
    totalWei: string;
    spentWei: string;
    reservedWei: string;
    leftWei: string;
    periodHours: number;
  };
  limits: {
    relaysPerMemberPerHour: number;
    maxGasPerTransaction: string;
    deadlineMarginSeconds: number;
    claimsPerMemberPerDay: number;
    proposalsPerMemberPerDay: number;
  };
  pending: number;
  /** The paths of `POST /relayer/<path>` this relayer takes. */
  accepts: string[];
  contracts: { governor: Address; consent: Address; revenue: Address };
  domains: { governor: Eip712Domain; consent: Eip712Domain };
}

export interface Relayer {
  readonly address: Address;
  readonly chainId: number;
  readonly limits: RelayerLimits;
  readonly domains: { governor: Eip712Domain; consent: Eip712Domain };
  /** Checks a signed request and, when everything holds, queues it; returns the relay's id. */
  submit(request: RelayRequest): Promise<{ id: string }>;
  relay(id: string): Promise<RelayView | undefined>;
  state(): Promise<RelayerState>;
  /** Resumes relays left pending by a previous run and starts watching for receipts. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Checks pending transactions for receipts now. */
  poll(): Promise<void>;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

async function readDomain(
  client: PublicClient,
  address: Address,
  abi: Abi,
  chainId: number,
): Promise<Eip712Domain> {
  const [, name, version, domainChainId, verifyingContract] = (await client.readContract({
    address,
    abi,
    functionName: "eip712Domain",
  })) as readonly [Hex, string, string, bigint, Address, Hex, readonly bigint[]];
  if (Number(domainChainId) !== chainId || getAddress(verifyingContract) !== getAddress(address)) {
    throw new Error(
      `The EIP-712 domain of ${address} names chain ${domainChainId} and contract ${verifyingContract}; expected chain ${chainId} and ${address}.`,
    );
  }
  return { name, version, chainId, verifyingContract: getAddress(verifyingContract) };
}

/** What a kind is called in a sentence. */
const WHAT: Record<RelayKind, string> = {
  vote: "ballot",
  consent: "consent change",
  grantChoice: "grant choice",
  proposal: "proposal",
  claim: "claim",
};

const toIso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

export function relayView(row: RelayRow): RelayView {
  return {
    id: row.id,
    kind: row.kind,
    signer: getAddress(row.signer),
    contract: getAddress(row.contract),
    status: row.status,
    request: row.request,
    createdAt: toIso(row.created_at)!,
    txHash: (row.tx_hash as Hex | null) ?? null,
    blockNumber: row.block_number,
    blockHash: (row.block_hash as Hex | null) ?? null,
    gasUsed: row.gas_used,
    costWei: row.cost_wei,
    finishedAt: toIso(row.finished_at),
    error: row.error_code
      ? {
          code: row.error_code,
          message: row.error_message ?? "",
          ...(row.error_name ? { name: row.error_name, args: row.error_args ?? [] } : {}),
        }
      : null,
  };
}

/** Reads the contracts' EIP-712 domains and checks the chain; throws when they do not match. */
export async function createRelayer(options: RelayerOptions): Promise<Relayer> {
  const { db, client, account, deployment } = options;
  const log = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const limits: RelayerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const chainId = await client.getChainId();
  if (chainId !== deployment.chainId) {
    throw new Error(`The node is on chain ${chainId}; the deployment is on ${deployment.chainId}.`);
  }
  const contracts = {
    governor: deployment.contracts.governor,
    consent: deployment.contracts.consent,
    revenue: deployment.contracts.revenue,
  };
  const domains = {
    governor: await readDomain(client, contracts.governor, governorAbi, chainId),
    consent: await readDomain(client, contracts.consent, consentAbi, chainId),
  };
  const sender: Sender = createSender({
    db,
    client,
    account,
    chainId,
    pollIntervalMs: options.pollIntervalMs ?? 250,
    log,
    onFinished: options.onFinished,
  });
  // Budget and rate-limit decisions and the insert that follows them happen one at a time.
  let gate: Promise<unknown> = Promise.resolve();
  function exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = gate.then(task);
    gate = run.catch(() => undefined);
    return run;
  }

  const budgetSince = () =>
    limits.budgetPeriodHours > 0 ? new Date(now() - limits.budgetPeriodHours * HOUR_MS) : null;

  async function checkSignature(request: SignedRelayRequest, domain: Eip712Domain): Promise<Hex> {
    const signer = signerOf(request);
    const typed = typedDataOf(request, domain);
    const digest = hashTypedData(typed as Parameters<typeof hashTypedData>[0]);
    // The high-s twin of an ECDSA signature (EIP-2): refused before anything, as the contracts would
    // revert on it. A smart account's signature is its own to judge (ERC-1271), whatever its bytes.
    if (isHighS(request.signature)) {
      const code = await client.getCode({ address: signer }).catch(() => undefined);
      if (!code || code === "0x") throw new RelayerError(401, "signature_high_s", HIGH_S_MESSAGE);
      const ok = await client
        .verifyHash({ address: signer, hash: digest, signature: request.signature })
        .catch(() => false);
      if (ok) return digest;
      throw new RelayerError(401, "bad_signature", `The signature is not ${signer}'s.`);
    }
    let recovered: Address | undefined;
    try {
      recovered = await recoverTypedDataAddress({
        ...(typed as Parameters<typeof hashTypedData>[0]),
        signature: request.signature,
      });
    } catch {
      recovered = undefined;
    }
    if (recovered && getAddress(recovered) === signer) return digest;
    // A smart account signs with ERC-1271, as the contracts accept.
    const code = await client.getCode({ address: signer }).catch(() => undefined);
    if (code && code !== "0x") {
      const ok = await client
        .verifyHash({ address: signer, hash: digest, signature: request.signature })
        .catch(() => false);
      if (ok) return digest;
    }
    throw new RelayerError(
      401,
      "bad_signature",
      `The signature is not ${signer}'s for this ${WHAT[request.kind]} on chain ${chainId} (contract ${domain.verifyingContract}).`,
    );
  }

  /** The member's hourly number of relays, and for claims and proposals their daily number of those. */
  async function checkRateLimit(q: Queryable, request: RelayRequest): Promise<void> {
    const signer = signerOf(request);
    const windows: { kind?: RelayKind; limit: number; ms: number; what: string }[] = [
      { limit: limits.relaysPerMemberPerHour, ms: HOUR_MS, what: "relays per member per hour" },
    ];
    if (request.kind === "claim") {
      windows.push({
        kind: "claim",
        limit: limits.claimsPerMemberPerDay,
        ms: DAY_MS,
        what: "claims per member per day",
      });
    }
    if (request.kind === "proposal") {
      windows.push({
        kind: "proposal",
        limit: limits.proposalsPerMemberPerDay,
        ms: DAY_MS,
        what: "proposals per member per day",
      });
    }
    for (const w of windows) {
      const { count, oldest } = await relaysSince(
        q,
        chainId,
        signer,
        new Date(now() - w.ms),
        w.kind,
      );
      if (count >= w.limit) {
        const retryAfterSeconds = oldest
          ? Math.max(1, Math.ceil((oldest.getTime() + w.ms - now()) / 1000))
          : w.ms / 1000;
        throw new RelayerError(
          429,
          "rate_limited",
          `At most ${w.limit} ${w.what}; try again in ${retryAfterSeconds} s.`,
          { limit: w.limit, retryAfterSeconds },
        );
      }
    }
  }

  /**
   * A claim of nothing is refused before anything is simulated or sent: every share it names must still be owed to
   * the member (an equal split: `claimableOf` above 0; a share by use: not claimed yet — its proof is the
   * simulation's to judge).
   */
  async function checkClaimable(request: ClaimRequest): Promise<void> {
    const owed = await Promise.all([
      ...request.equalGrantIds.map(
        async (grantId) =>
          (await client.readContract({
            address: contracts.revenue,
            abi: revenueAbi,
            functionName: "claimableOf",
            args: [grantId, request.member],
          })) > 0n,
      ),
      ...request.allocations.map(
        async (a) =>
          !(await client.readContract({
            address: contracts.revenue,
            abi: revenueAbi,
            functionName: "isClaimed",
            args: [a.grantId, request.member],
          })),
      ),
    ]);
    const ids = claimGrantIds(request);
    const nothing = ids.filter((_, i) => !owed[i]);
    if (nothing.length > 0) {
      throw new RelayerError(
        409,
        "nothing_to_claim",
        `${request.member} has nothing to collect from grant${nothing.length === 1 ? "" : "s"} ${nothing.join(", ")} (already collected, not a member when the fee came, or no such share). Nothing was sent.`,
        { grantIds: nothing.map(String) },
      );
    }
  }

  /**
   * Refuses a signature the contract would refuse for its order, before anything is simulated: a ballot's nonce is
   * always 0 (the governor writes none; one vote per proposal refuses a replay), and a consent change or grant choice
   * must be later than the member's latest decision on that entry (so an old signature cannot undo a newer decision)
   * and not made before their current membership.
   */
  async function checkOrder(request: RelayRequest, contract: Address): Promise<void> {
    const signer = signerOf(request);
    // A proposal is ordered by its existence (the same actions and description make the same proposal, which the
    // governor refuses twice); a claim by what is still owed (checkClaimable).
    if (request.kind === "proposal" || request.kind === "claim") return;
    if (request.kind === "vote") {
      if (request.nonce !== 0n) {
        throw new RelayerError(
          409,
          "nonce_not_current",
          `Ballots are signed with nonce 0 (the governor uses no nonces), not ${request.nonce}; sign again.`,
          { currentNonce: "0" },
        );
      }
      return;
    }
    const [stored, validFrom] = (await Promise.all([
      request.kind === "consent"
        ? client.readContract({
            address: contract,
            abi: consentAbi,
            functionName: "storedConsent",
            args: [signer],
          })
        : client.readContract({
            address: contract,
            abi: consentAbi,
            functionName: "storedGrantChoice",
            args: [signer, request.grantId],
          }),
      client.readContract({
        address: contract,
        abi: consentAbi,
        functionName: "membershipValidFrom",
        args: [signer],
      }),
    ])) as [readonly [bigint | number, number], number];
    const latest = BigInt(stored[1]);
    if (request.signedAt <= latest) {
      throw new RelayerError(
        409,
        "signature_outdated",
        `This ${request.kind === "consent" ? "consent change" : "grant choice"} was signed at ${request.signedAt}, not after ${signer}'s latest decision (${latest}): a later decision stands.`,
        { latestDecisionAt: latest.toString() },
      );
    }
    if (request.signedAt < BigInt(validFrom)) {
      throw new RelayerError(
        409,
        "signature_outdated",
        `This signature was made at ${request.signedAt}, before ${signer}'s current membership (from ${validFrom}).`,
        { membershipSince: String(validFrom) },
      );
    }
  }

  async function simulate(request: RelayRequest, contract: Address, data: Hex): Promise<bigint> {
    try {
      return await client.estimateGas({ account: account.address, to: contract, data });
    } catch (error) {
      const revert = decodeRevertData(revertDataOf(error));
      if (revert) {
        throw new RelayerError(
          422,
          "would_revert",
          `The ${WHAT[request.kind]} would fail on chain: ${describeRevert(revert)}. Nothing was sent.`,
          { error: revert.name, args: revert.args },
        );
      }
      const message = shortMessage(error);
      if (/revert/i.test(message)) {
        throw new RelayerError(
          422,
          "would_revert",
          `The call would fail on chain: ${message}. Nothing was sent.`,
        );
      }
      throw new RelayerError(503, "chain_unavailable", `Cannot simulate the call: ${message}`);
    }
  }

  async function submit(request: RelayRequest): Promise<{ id: string }> {
    const signer = signerOf(request);
    const target = targetOf(request);
    const contract = contracts[target];
    // A claim is signed by no one: its digest (stored for the record) is the hash of its calldata.
    const digest =
      request.kind === "claim"
        ? keccak256(calldataOf(request))
        : await checkSignature(request, domains[target as "governor" | "consent"]);

    if (request.kind !== "vote" && request.kind !== "claim") {
      const latest = await client.getBlock({ blockTag: "latest" });
      const clock = BigInt(Math.max(Math.floor(now() / 1000), Number(latest.timestamp)));
      if (request.deadline < clock + BigInt(limits.deadlineMarginSeconds)) {
        throw new RelayerError(
          422,
          "deadline_passed",
          request.deadline < clock
            ? `The signature expired at ${request.deadline} (now ${clock}).`
            : `The signature expires at ${request.deadline}, too soon to be mined (at least ${limits.deadlineMarginSeconds} s ahead).`,
        );
      }
    }

    // The chain reads run together; their refusals are still reported in order.
    const settle = <T>(p: Promise<T>) =>
      p.then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      );
    const [isMember, nonce, inFlight] = await Promise.all([
      settle(
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the assertion names the untyped reply's shape
        client.readContract({
          address: deployment.contracts.membership,
          abi: membershipAbi,
          functionName: "isMember",
          args: [signer],
        }) as Promise<boolean>,
      ),
      settle(checkOrder(request, contract)),
      settle(
        request.kind === "claim"
          ? liveClaimOf(db, chainId, contract, signer, claimGrantIds(request))
          : liveRelayOf(db, chainId, contract, signer, replayKeyOf(request)),
      ),
    ]);
    if (!isMember.ok) throw isMember.error;
    if (!isMember.value) {
      throw new RelayerError(403, "not_member", `${signer} is not a member of the co-op.`);
    }
    if (!nonce.ok) throw nonce.error;
    if (!inFlight.ok) throw inFlight.error;
    if (inFlight.value) {
      throw new RelayerError(
        409,
        "already_relayed",
        request.kind === "claim"
          ? `A claim of these shares is already relayed (relay ${inFlight.value}).`
          : `This signature is already being relayed (relay ${inFlight.value}).`,
        { id: inFlight.value },
      );
    }
    if (request.kind === "claim") await checkClaimable(request);

    await checkRateLimit(db, request);

    const data = calldataOf(request);
    const [estimate, fees] = await Promise.all([
      simulate(request, contract, data),
      settle(client.estimateFeesPerGas()),
    ]);
    const gasLimit = (estimate * 12n) / 10n + 5_000n;
    if (gasLimit > limits.maxGasPerTransaction) {
      throw new RelayerError(
        422,
        "too_expensive",
        `The call needs ${gasLimit} gas; the relayer pays for at most ${limits.maxGasPerTransaction}.`,
      );
    }
    if (!fees.ok) {
      throw new RelayerError(
        503,
        "chain_unavailable",
        `Cannot read gas prices: ${shortMessage(fees.error)}`,
      );
    }
    const { maxFeePerGas, maxPriorityFeePerGas } = fees.value;
    const cost = gasLimit * maxFeePerGas;

    const id = randomUUID();
    // Within this process one at a time; across processes sharing the store, under one transaction-scoped lock.
    await exclusive(() =>
      db.transaction(async (tx) => {
        await lockBudget(tx, chainId);
        await checkRateLimit(tx, request);
        if (request.kind === "claim") {
          const live = await liveClaimOf(tx, chainId, contract, signer, claimGrantIds(request));
          if (live) {
            throw new RelayerError(
              409,
              "already_relayed",
              `A claim of these shares is already relayed (relay ${live}).`,
              { id: live },
            );
          }
        }
        const { spent, reserved } = await spending(tx, chainId, budgetSince());
        const left = limits.gasBudgetWei - spent - reserved;
        if (cost > left) {
          throw new RelayerError(
            402,
            "budget_exhausted",
            `The relayer's gas budget is spent: this relay may cost ${cost} wei, ${left > 0n ? left : 0n} wei are left. Send the transaction yourself, or ask the co-op's operator.`,
            {
              budgetWei: limits.gasBudgetWei.toString(),
              spentWei: spent.toString(),
              reservedWei: reserved.toString(),
              neededWei: cost.toString(),
            },
          );
        }
        const balance = await client.getBalance({ address: account.address });
        if (balance < cost + reserved) {
          throw new RelayerError(
            503,
            "relayer_underfunded",
            `The relayer's account ${account.address} holds too little ETH to pay for this relay; the operator must fund it.`,
          );
        }
        try {
          await insertRelay(tx, {
            id,
            kind: request.kind,
            chainId,
            contract,
            signer,
            nonce: replayKeyOf(request),
            digest,
            request: requestJson(request),
            calldata: data,
            gasLimit,
            maxFeePerGas,
            maxPriorityFeePerGas,
            createdAt: new Date(now()),
          });
        } catch (error) {
          if (/relayer_relays_live_nonce|duplicate key/i.test((error as Error).message)) {
            throw new RelayerError(
              409,
              "already_relayed",
              "This signature is already being relayed.",
            );
          }
          throw error;
        }
      }),
    );
    log.info({ relay: id, kind: request.kind, gasLimit: gasLimit.toString() }, "relay accepted");
    void sender
      .send(id)
      .catch((error) => log.error({ relay: id, err: shortMessage(error) }, "relay send failed"));
    return { id };
  }

  return {
    address: account.address,
    chainId,
    limits,
    domains,
    submit,
    async relay(id) {
      const row = await getRelay(db, id);
      return row ? relayView(row) : undefined;
    },
    async state() {
      const [{ spent, reserved, pending }, balance] = await Promise.all([
        spending(db, chainId, budgetSince()),
        client.getBalance({ address: account.address }),
      ]);
      const left = limits.gasBudgetWei - spent - reserved;
      return {
        chainId,
        address: account.address,
        balanceWei: balance.toString(),
        budget: {
          totalWei: limits.gasBudgetWei.toString(),
          spentWei: spent.toString(),
          reservedWei: reserved.toString(),
          leftWei: (left > 0n ? left : 0n).toString(),
          periodHours: limits.budgetPeriodHours,
        },
        limits: {
          relaysPerMemberPerHour: limits.relaysPerMemberPerHour,
          maxGasPerTransaction: limits.maxGasPerTransaction.toString(),
          deadlineMarginSeconds: limits.deadlineMarginSeconds,
          claimsPerMemberPerDay: limits.claimsPerMemberPerDay,
          proposalsPerMemberPerDay: limits.proposalsPerMemberPerDay,
        },
        pending,
        accepts: [...RELAY_PATHS],
        contracts,
        domains,
      };
    },
    start: () => sender.start(),
    stop: () => sender.stop(),
    poll: () => sender.poll(),
  };
}
