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
  keccak256,
  type Address,
  type Hex,
  type LocalAccount,
  type PublicClient,
} from "viem";
import { consentAbi, governorAbi, membershipAbi } from "@datacoop/protocol/abis.generated";
import type { Deployment } from "@datacoop/protocol/deployment";
import {
  calldataOf,
  claimGrantIds,
  replayKeyOf,
  signerOf,
  targetOf,
  type Eip712Domain,
  type RelayKind,
  type RelayRequest,
} from "@datacoop/protocol/typedData";
import { silentLogger, type Logger } from "../log.ts";
import type { Db } from "../store/db.ts";
import { admitRelay, budgetSince, createQueue } from "./admit.ts";
import {
  checkClaimable,
  checkDeadline,
  checkOrder,
  checkRateLimit,
  checkSignature,
  readDomain,
  simulate,
  type RelayContext,
} from "./checks.ts";
import { RelayerError } from "./errors.ts";
import { shortMessage } from "./revert.ts";
import { createSender, type Sender } from "./sender.ts";
import {
  getRelay,
  liveClaimOf,
  liveRelayOf,
  spending,
  type RelayRow,
  type RelayStatus,
} from "./store.ts";

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

/** What `submit` needs besides the checks' context: the store, the domains, the one-at-a-time queue, the sender. */
interface Submission {
  ctx: RelayContext;
  db: Db;
  domains: Relayer["domains"];
  exclusive: <T>(task: () => Promise<T>) => Promise<T>;
  sender: Sender;
  log: Logger;
}

/** A chain read's outcome, so reads run together and their refusals are still reported in order. */
const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

/**
 * Every check that needs no simulation, cheapest first: the signature (a claim has none: its digest, stored for the
 * record, is the hash of its calldata), the deadline, membership, order and a relay in flight (read together),
 * what a claim collects, the rate limits. Returns the digest.
 */
async function checkRequest(
  { ctx, db, domains }: Submission,
  request: RelayRequest,
  contract: Address,
): Promise<Hex> {
  const { client, chainId } = ctx;
  const signer = signerOf(request);
  const target = targetOf(request);
  const digest =
    request.kind === "claim"
      ? keccak256(calldataOf(request))
      : await checkSignature(ctx, request, domains[target as "governor" | "consent"]);
  await checkDeadline(ctx, request);

  const [isMember, order, inFlight] = await Promise.all([
    settle(
      client.readContract({
        address: ctx.contracts.membership,
        abi: membershipAbi,
        functionName: "isMember",
        args: [signer],
      }),
    ),
    settle(checkOrder(ctx, request, contract)),
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
  if (!order.ok) throw order.error;
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
  if (request.kind === "claim") await checkClaimable(ctx, request);
  await checkRateLimit(ctx, db, request);
  return digest;
}

/** The call simulated and priced: its gas limit (within the per-transaction cap) and the chain's fees now. */
async function priceCall(ctx: RelayContext, request: RelayRequest, contract: Address, data: Hex) {
  const [estimate, fees] = await Promise.all([
    simulate(ctx, request, contract, data),
    settle(ctx.client.estimateFeesPerGas()),
  ]);
  const gasLimit = (estimate * 12n) / 10n + 5_000n;
  if (gasLimit > ctx.limits.maxGasPerTransaction) {
    throw new RelayerError(
      422,
      "too_expensive",
      `The call needs ${gasLimit} gas; the relayer pays for at most ${ctx.limits.maxGasPerTransaction}.`,
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
  return { gasLimit, maxFeePerGas, maxPriorityFeePerGas };
}

/** Checks a request, prices it, admits it under the budget lock and hands it to the sender. */
async function submitRelay(s: Submission, request: RelayRequest): Promise<{ id: string }> {
  const contract = s.ctx.contracts[targetOf(request)];
  const digest = await checkRequest(s, request, contract);
  const calldata = calldataOf(request);
  const price = await priceCall(s.ctx, request, contract, calldata);
  const id = randomUUID();
  await s.exclusive(() =>
    admitRelay(s.ctx, s.db, { id, request, contract, digest, calldata, ...price }),
  );
  s.log.info(
    { relay: id, kind: request.kind, gasLimit: price.gasLimit.toString() },
    "relay accepted",
  );
  void s.sender
    .send(id)
    .catch((error) => s.log.error({ relay: id, err: shortMessage(error) }, "relay send failed"));
  return { id };
}

/** What `GET /relayer` answers: the budget left, the limits, the pending count, the contracts and domains. */
async function relayerState(
  ctx: RelayContext,
  db: Db,
  domains: Relayer["domains"],
): Promise<RelayerState> {
  const { client, chainId, account, limits, now } = ctx;
  const [{ spent, reserved, pending }, balance] = await Promise.all([
    spending(db, chainId, budgetSince(limits, now)),
    client.getBalance({ address: account.address }),
  ]);
  const left = limits.gasBudgetWei - spent - reserved;
  const { governor, consent, revenue } = ctx.contracts;
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
    contracts: { governor, consent, revenue },
    domains,
  };
}

/** Reads the contracts' EIP-712 domains and checks the chain; throws when they do not match. */
export async function createRelayer(options: RelayerOptions): Promise<Relayer> {
  const { db, client, account, deployment } = options;
  const log = options.logger ?? silentLogger;
  const limits: RelayerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const chainId = await client.getChainId();
  if (chainId !== deployment.chainId) {
    throw new Error(`The node is on chain ${chainId}; the deployment is on ${deployment.chainId}.`);
  }
  const { governor, consent, revenue, membership } = deployment.contracts;
  const ctx: RelayContext = {
    client,
    chainId,
    contracts: { governor, consent, revenue, membership },
    account,
    limits,
    now: options.now ?? Date.now,
  };
  const domains = {
    governor: await readDomain(client, governor, governorAbi, chainId),
    consent: await readDomain(client, consent, consentAbi, chainId),
  };
  const sender = createSender({
    db,
    client,
    account,
    chainId,
    pollIntervalMs: options.pollIntervalMs ?? 250,
    log,
    onFinished: options.onFinished,
  });
  const submission: Submission = { ctx, db, domains, exclusive: createQueue(), sender, log };

  return {
    address: account.address,
    chainId,
    limits,
    domains,
    submit: (request) => submitRelay(submission, request),
    async relay(id) {
      const row = await getRelay(db, id);
      return row ? relayView(row) : undefined;
    },
    state: () => relayerState(ctx, db, domains),
    start: () => sender.start(),
    stop: () => sender.stop(),
    poll: () => sender.poll(),
  };
}
