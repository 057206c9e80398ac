/**
 * The auditor: from an RPC endpoint and the deployment record alone, checks that the members' votes are
 * the only power over the co-op.
 *
 * - deployment: the chain and the contracts are the ones the record names, wired to each other;
 * - powers: the timelock holds every admin role and owns every contract, the governor is its only
 *   proposer, canceller and executor, no other account (the deployer least of all) holds a role;
 * - decisions: every admission, removal, dataset, grant approval, rejection, revocation, role and
 *   parameter change was executed by the timelock for a governor proposal in the same transaction (or
 *   happened at deployment, or is a guardian's revocation or pause, which the design allows);
 * - proposals: every executed proposal met quorum at its snapshot and had more For than Against, and the
 *   timelock ran exactly its actions; every timelock execution belongs to one;
 * - fees: every wei partners paid is escrowed, refundable, refunded or deposited for the members, and the
 *   revenue split adds up (events, the contracts' totals and their balances agree);
 * - anchors: the access-log anchors form one chain (each follows the root before, sizes grow, none missing);
 * - gateway (with the indexer's URL): every access-log entry served under /proofs is intact, included under
 *   the batch that first covered it, and the anchored roots recompute from the entries.
 */
import {
  createPublicClient,
  encodeAbiParameters,
  formatEther,
  http,
  keccak256,
  stringToHex,
  toHex,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import {
  accessLogAbi,
  governorAbi,
  membershipAbi,
  registryAbi,
  revenueAbi,
  timelockAbi,
} from "@datacoop/protocol/abis.generated";
import { deploymentSchema, type Deployment } from "@datacoop/protocol/deployment";
import { checkGatewayLog } from "./gatewayLog.ts";
import type { AuditReport, CheckId, CheckResult, TimelineEntry, Violation } from "./report.ts";
import { label, scanEvents, type AuditEvent, type ScanProgress } from "./scan.ts";

export interface AuditOptions {
  rpcUrl: string;
  /** The deployment record (as written by scripts/deploy.ts). */
  deployment: Deployment | unknown;
  /**
   * The base URL of the indexer that serves the gateway (e.g. http://127.0.0.1:8600; its /proofs or
   * /gateway URL works too): adds the access-log check through its /proofs endpoints.
   */
  gatewayUrl?: string;
  /** Audit the chain as of this block (default: the latest). */
  block?: bigint;
  /** Blocks per getLogs request (default 10,000; halved when a provider refuses). */
  chunk?: bigint;
  onProgress?: ScanProgress;
  /** Entries of the gateway's access log read so far, and how many are known to exist. */
  onLogProgress?: (read: number, known: number) => void;
  client?: PublicClient;
}

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const ZERO_HASH: Hex = `0x${"0".repeat(64)}`;
const ROLES = {
  DEFAULT_ADMIN_ROLE: ZERO_HASH,
  PROPOSER_ROLE: keccak256(stringToHex("PROPOSER_ROLE")),
  EXECUTOR_ROLE: keccak256(stringToHex("EXECUTOR_ROLE")),
  CANCELLER_ROLE: keccak256(stringToHex("CANCELLER_ROLE")),
} as const;
const ROLE_NAMES = new Map<string, string>(Object.entries(ROLES).map(([n, r]) => [r, n]));

/** Events that only the co-op's vote may cause, by contract, and how the report counts them. */
const GOVERNED: Record<string, Record<string, string>> = {
  membership: {
    MemberAdmitted: "admissions",
    MemberLeft: "removals",
    OwnershipTransferred: "ownership changes",
  },
  registry: {
    DatasetRegistered: "dataset registrations",
    DatasetRetired: "dataset retirements",
    RequestApproved: "grant approvals",
    RequestRejected: "request rejections",
    GrantRevoked: "revocations",
    Paused: "pauses",
    Unpaused: "unpauses",
    GuardianSet: "parameter changes",
    MinimumFeeSet: "parameter changes",
    MaxDurationSet: "parameter changes",
    OwnershipTransferred: "ownership changes",
  },
  revenue: {
    ModeSet: "parameter changes",
    TreasuryShareSet: "parameter changes",
    OperatorSet: "parameter changes",
    RegistrySet: "parameter changes",
    OwnershipTransferred: "ownership changes",
  },
  accessLog: { OperatorSet: "parameter changes", OwnershipTransferred: "ownership changes" },
  governor: {
    VotingDelaySet: "parameter changes",
    VotingPeriodSet: "parameter changes",
    QuorumNumeratorUpdated: "parameter changes",
    LateQuorumVoteExtensionSet: "parameter changes",
    TimelockChange: "parameter changes",
  },
  timelock: {
    RoleGranted: "role changes",
    RoleRevoked: "role changes",
    RoleAdminChanged: "role changes",
    MinDelayChange: "parameter changes",
  },
};

function same(a: unknown, b: unknown): boolean {
  return typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();
}

function at(event: AuditEvent, message: string): Violation {
  return {
    message,
    event: label(event),
    transactionHash: event.transactionHash,
    blockNumber: event.blockNumber.toString(),
  };
}

function result(id: CheckId, title: string, notes: string[], violations: Violation[]): CheckResult {
  return { id, title, status: violations.length ? "fail" : "pass", notes, violations };
}

function short(id: bigint | string): string {
  const text = id.toString();
  return text.length > 14 ? `${text.slice(0, 6)}…${text.slice(-6)}` : text;
}

function wei(amount: bigint): string {
  return `${formatEther(amount)} ETH`;
}

interface ProposalFacts {
  id: bigint;
  created?: AuditEvent;
  votes: { for: bigint; against: bigint; abstain: bigint };
  voters: Set<string>;
  executed?: AuditEvent;
  passed?: boolean;
}

/** Runs every check; never throws for a violation (only for an unreachable node or a bad record). */
export async function audit(options: AuditOptions): Promise<AuditReport> {
  const parsed = deploymentSchema.safeParse(options.deployment);
  if (!parsed.success) {
    throw new Error(
      `The deployment record is not valid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  const deployment = parsed.data;
  const c = deployment.contracts;
  const client =
    options.client ??
    (createPublicClient({ transport: http(options.rpcUrl, { retryCount: 3 }) }) as PublicClient);
  const block = options.block ?? (await client.getBlockNumber());
  const blockData = await client.getBlock({ blockNumber: block });
  const read = <T>(
    address: Address,
    abi: readonly unknown[],
    functionName: string,
    args: unknown[] = [],
  ) =>
    client.readContract({
      address,
      abi,
      functionName,
      args,
      blockNumber: block,
    } as never) as Promise<T>;

  const checks: CheckResult[] = [];

  // ---- deployment -------------------------------------------------------------------------------------
  const chainId = await client.getChainId();
  {
    const notes: string[] = [];
    const violations: Violation[] = [];
    if (chainId !== deployment.chainId)
      violations.push({
        message: `The node is on chain ${chainId}, the record names chain ${deployment.chainId}.`,
      });
    for (const [name, address] of Object.entries(c)) {
      const code = await client.getCode({ address, blockNumber: block });
      if (!code || code === "0x")
        violations.push({ message: `No contract at ${name} ${address} at block ${block}.` });
    }
    if (violations.length === 0) {
      const wiring: [string, Promise<unknown>, string][] = [
        ["governor.timelock()", read(c.governor, governorAbi, "timelock"), c.timelock],
        ["governor.token()", read(c.governor, governorAbi, "token"), c.membership],
        ["registry.revenue()", read(c.registry, registryAbi, "revenue"), c.revenue],
        ["revenue.registry()", read(c.revenue, revenueAbi, "registry"), c.registry],
      ];
      for (const [what, value, expected] of wiring) {
        const actual = await value;
        if (!same(actual, expected))
          violations.push({ message: `${what} is ${String(actual)}, expected ${expected}.` });
      }
      notes.push(`7 contracts found on chain ${chainId} and wired to each other.`);
    }
    checks.push(result("deployment", "The deployment record matches the chain", notes, violations));
    if (violations.length) {
      return finish(deployment, chainId, block, blockData.timestamp, 0, checks);
    }
  }

  const events = await scanEvents(client, deployment, block, {
    chunk: options.chunk,
    onProgress: options.onProgress,
  });
  const byTx = new Map<Hex, AuditEvent[]>();
  for (const e of events) {
    const list = byTx.get(e.transactionHash);
    if (list) list.push(e);
    else byTx.set(e.transactionHash, [e]);
  }
  const ofName = (contract: string, name: string) =>
    events.filter((e) => e.contract === contract && e.name === name);

  // The deployer: whoever the timelock's constructor made its temporary admin.
  const firstAdminGrant = events.find(
    (e) =>
      e.contract === "timelock" &&
      e.name === "RoleGranted" &&
      e.args.role === ROLES.DEFAULT_ADMIN_ROLE &&
      !same(e.args.account, c.timelock),
  );
  const deployer = firstAdminGrant ? (firstAdminGrant.args.account as Address) : undefined;
  const renounce = deployer
    ? events.find(
        (e) =>
          e.contract === "timelock" &&
          e.name === "RoleRevoked" &&
          e.args.role === ROLES.DEFAULT_ADMIN_ROLE &&
          same(e.args.account, deployer),
      )
    : undefined;
  // Set-up ends when the deployer gives up the timelock's admin role (or, if it never did, with the
  // last contract's first event: nothing later counts as set-up).
  const setupEnd =
    renounce?.blockNumber ??
    Object.keys(c).reduce((max, name) => {
      const first = events.find((e) => e.contract === name);
      return first && first.blockNumber > max ? first.blockNumber : max;
    }, BigInt(deployment.startBlock));

  // ---- proposals --------------------------------------------------------------------------------------
  const proposals = new Map<bigint, ProposalFacts>();
  const proposal = (id: bigint) => {
    let p = proposals.get(id);
    if (!p) {
      p = { id, votes: { for: 0n, against: 0n, abstain: 0n }, voters: new Set() };
      proposals.set(id, p);
    }
    return p;
  };
  const proposalViolations: Violation[] = [];
  for (const e of events) {
    if (e.contract !== "governor") continue;
    if (e.name === "ProposalCreated") proposal(e.args.proposalId as bigint).created = e;
    if (e.name === "VoteCast" || e.name === "VoteCastWithParams") {
      const p = proposal(e.args.proposalId as bigint);
      const voter = String(e.args.voter).toLowerCase();
      if (p.voters.has(voter))
        proposalViolations.push(at(e, `${e.args.voter} voted twice on proposal ${short(p.id)}.`));
      p.voters.add(voter);
      const weight = e.args.weight as bigint;
      if (weight > 1n)
        proposalViolations.push(
          at(
            e,
            `${e.args.voter} cast ${weight} votes on proposal ${short(p.id)}; a member has one.`,
          ),
        );
      const support = Number(e.args.support);
      if (support === 0) p.votes.against += weight;
      else if (support === 1) p.votes.for += weight;
      else p.votes.abstain += weight;
    }
    if (e.name === "ProposalExecuted") proposal(e.args.proposalId as bigint).executed = e;
  }
  let executedCount = 0;
  for (const p of proposals.values()) {
    if (!p.executed) continue;
    executedCount++;
    const e = p.executed;
    if (!p.created) {
      proposalViolations.push(at(e, `Proposal ${short(p.id)} was executed but never created.`));
      p.passed = false;
      continue;
    }
    const snapshot = p.created.args.voteStart as bigint;
    const quorum = await read<bigint>(c.governor, governorAbi, "quorum", [snapshot]);
    const { for: pro, against, abstain } = p.votes;
    const metQuorum = pro + abstain >= quorum;
    const majority = pro > against;
    p.passed = metQuorum && majority;
    if (!metQuorum)
      proposalViolations.push(
        at(
          e,
          `Proposal ${short(p.id)} was executed without quorum: ${pro} For + ${abstain} Abstain < ${quorum}.`,
        ),
      );
    else if (!majority)
      proposalViolations.push(
        at(
          e,
          `Proposal ${short(p.id)} was executed without a majority: ${pro} For, ${against} Against.`,
        ),
      );
    // The timelock must have run exactly this proposal's actions, under the governor's salt.
    const targets = p.created.args.targets as Address[];
    const values = p.created.args.values as bigint[];
    const calldatas = p.created.args.calldatas as Hex[];
    const descriptionHash = keccak256(stringToHex(p.created.args.description as string));
    const salt = toHex((BigInt(c.governor) << 96n) ^ BigInt(descriptionHash), { size: 32 });
    const operationId = keccak256(
      encodeAbiParameters(
        [
          { type: "address[]" },
          { type: "uint256[]" },
          { type: "bytes[]" },
          { type: "bytes32" },
          { type: "bytes32" },
        ],
        [targets, values, calldatas, ZERO_HASH, salt],
      ),
    );
    const calls = (byTx.get(e.transactionHash) ?? []).filter(
      (x) => x.contract === "timelock" && x.name === "CallExecuted" && x.args.id === operationId,
    );
    if (calls.length !== targets.length)
      proposalViolations.push(
        at(
          e,
          `The timelock did not run proposal ${short(p.id)}'s ${targets.length} action(s) in its execution.`,
        ),
      );
  }
  // Every timelock execution is a governor's execution.
  for (const e of ofName("timelock", "CallExecuted")) {
    const governed = (byTx.get(e.transactionHash) ?? []).some(
      (x) => x.contract === "governor" && x.name === "ProposalExecuted",
    );
    if (!governed)
      proposalViolations.push(
        at(e, `The timelock executed a call to ${e.args.target} outside any governor proposal.`),
      );
  }
  checks.push(
    result(
      "proposals",
      "Every executed proposal met quorum and passed",
      [
        `${proposals.size} proposals, ${executedCount} executed; ${ofName("timelock", "CallExecuted").length} timelock calls, all checked against their proposal.`,
      ],
      proposalViolations,
    ),
  );

  // ---- decisions --------------------------------------------------------------------------------------
  const decisionViolations: Violation[] = [];
  const counts = new Map<string, { vote: number; deployment: number; other: number }>();
  const count = (kind: string, how: "vote" | "deployment" | "other") => {
    const entry = counts.get(kind) ?? { vote: 0, deployment: 0, other: 0 };
    entry[how]++;
    counts.set(kind, entry);
  };
  const senders = new Map<Hex, Address>();
  const sender = async (hash: Hex) => {
    let from = senders.get(hash);
    if (!from) {
      from = (await client.getTransaction({ hash })).from;
      senders.set(hash, from);
    }
    return from;
  };
  const createdBy = async (hash: Hex, address: Address) => {
    const receipt = await client.getTransactionReceipt({ hash });
    return same(receipt.contractAddress, address);
  };
  const timeline: TimelineEntry[] = [];
  const record = (e: AuditEvent, kind: string, how: TimelineEntry["how"], proposalId?: bigint) => {
    count(kind, how === "vote" ? "vote" : how === "deployment" ? "deployment" : "other");
    timeline.push({
      blockNumber: e.blockNumber.toString(),
      transactionHash: e.transactionHash,
      event: label(e),
      what: describe(e),
      how,
      ...(proposalId === undefined ? {} : { proposalId: proposalId.toString() }),
    });
  };
  let guardian: string = ZERO_ADDRESS;
  let registrySets = 0;
  for (const e of events) {
    if (e.contract === "registry" && e.name === "GuardianSet")
      guardian = String(e.args.newGuardian);
    const kind = GOVERNED[e.contract]?.[e.name];
    if (!kind) continue;
    const tx = byTx.get(e.transactionHash) ?? [];
    const executions = tx.filter((x) => x.contract === "governor" && x.name === "ProposalExecuted");
    const byTimelock = tx.some(
      (x) =>
        x.contract === "timelock" && x.name === "CallExecuted" && same(x.args.target, e.address),
    );
    if (executions.length > 0 && byTimelock) {
      const failed = executions.find(
        (x) => proposals.get(x.args.proposalId as bigint)?.passed === false,
      );
      if (failed)
        decisionViolations.push(
          at(
            e,
            `${label(e)} came from proposal ${short(failed.args.proposalId as bigint)}, which had not passed.`,
          ),
        );
      record(e, kind, "vote", executions[0]!.args.proposalId as bigint);
      continue;
    }
    // Acts the design allows outside a vote.
    if (e.name === "MemberLeft" && e.args.resigned === true) {
      record(e, "resignations", "member");
      continue;
    }
    if (
      e.contract === "timelock" &&
      e.name === "RoleRevoked" &&
      same(e.args.account, e.args.sender)
    ) {
      record(e, "role renunciations", "holder");
      continue;
    }
    if (
      (e.name === "GrantRevoked" && same(e.args.by, guardian)) ||
      (e.name === "Paused" && same(e.args.account, guardian))
    ) {
      record(e, `${kind} by the guardian`, "guardian");
      continue;
    }
    if (e.name === "RegistrySet") {
      registrySets++;
      if (
        registrySets === 1 &&
        same(e.args.registry, c.registry) &&
        deployer &&
        same(await sender(e.transactionHash), deployer)
      ) {
        record(e, kind, "deployment");
        continue;
      }
    }
    // A constructor's own events (initial owner, founders, settings): visible in the creation transaction.
    if (await createdBy(e.transactionHash, e.address)) {
      record(e, kind, "deployment");
      continue;
    }
    // Set-up by the deployer before it gave up its temporary admin role, not through the timelock.
    const executedByTimelock = tx.some(
      (x) => x.contract === "timelock" && x.name === "CallExecuted",
    );
    if (
      e.blockNumber <= setupEnd &&
      !executedByTimelock &&
      deployer &&
      same(await sender(e.transactionHash), deployer)
    ) {
      record(e, kind, "deployment");
      continue;
    }
    decisionViolations.push(
      at(
        e,
        `${describe(e)} outside governance: no passed proposal executed it through the timelock.`,
      ),
    );
    record(e, kind, "bypass");
  }
  const decisionNotes = [...counts.entries()].map(([kind, n]) => {
    const parts = [
      n.vote && `${n.vote} by vote`,
      n.deployment && `${n.deployment} at deployment`,
      n.other && `${n.other} otherwise`,
    ].filter(Boolean);
    return `${kind}: ${parts.join(", ")}`;
  });
  if (deployer) decisionNotes.unshift(`deployer ${deployer}; set-up ended in block ${setupEnd}.`);
  checks.push(
    result(
      "decisions",
      "Every admission, removal, dataset, grant decision and parameter change came from a passed vote",
      decisionNotes,
      decisionViolations,
    ),
  );

  // ---- powers -----------------------------------------------------------------------------------------
  {
    const notes: string[] = [];
    const violations: Violation[] = [];
    const holders = new Map<string, Map<string, AuditEvent>>();
    for (const e of events) {
      if (e.contract !== "timelock" || (e.name !== "RoleGranted" && e.name !== "RoleRevoked"))
        continue;
      const role = e.args.role as string;
      const members = holders.get(role) ?? new Map<string, AuditEvent>();
      if (e.name === "RoleGranted") members.set(String(e.args.account).toLowerCase(), e);
      else members.delete(String(e.args.account).toLowerCase());
      holders.set(role, members);
    }
    const expected: Record<string, string> = {
      [ROLES.DEFAULT_ADMIN_ROLE]: c.timelock,
      [ROLES.PROPOSER_ROLE]: c.governor,
      [ROLES.CANCELLER_ROLE]: c.governor,
      [ROLES.EXECUTOR_ROLE]: c.governor,
    };
    for (const [role, members] of holders) {
      const roleName = ROLE_NAMES.get(role) ?? role;
      for (const [account, grant] of members) {
        if (same(account, expected[role])) continue;
        const stillHeld = await read<boolean>(c.timelock, timelockAbi, "hasRole", [role, account]);
        if (!stillHeld) continue;
        const code = await client.getCode({ address: account as Address, blockNumber: block });
        const who =
          deployer && same(account, deployer)
            ? `the deployer ${grant.args.account}`
            : account === ZERO_ADDRESS
              ? "everyone (the zero address)"
              : `${code && code !== "0x" ? "the contract" : "the externally owned account"} ${grant.args.account}`;
        violations.push(at(grant, `${who} holds the timelock's ${roleName}.`));
      }
    }
    for (const [role, account] of Object.entries(expected)) {
      const has = await read<boolean>(c.timelock, timelockAbi, "hasRole", [role, account]);
      if (!has)
        violations.push({
          message: `${account === c.timelock ? "The timelock" : "The governor"} lacks the timelock's ${ROLE_NAMES.get(role)}.`,
        });
    }
    if (deployer) {
      for (const [name, role] of Object.entries(ROLES)) {
        const has = await read<boolean>(c.timelock, timelockAbi, "hasRole", [role, deployer]);
        if (
          has &&
          !violations.some((v) => v.message.includes("deployer") && v.message.includes(name))
        )
          violations.push({ message: `The deployer ${deployer} holds the timelock's ${name}.` });
      }
    }
    const owned: [string, Address, readonly unknown[]][] = [
      ["Membership", c.membership, membershipAbi],
      ["DataAccessRegistry", c.registry, registryAbi],
      ["Revenue", c.revenue, revenueAbi],
      ["AccessLogAnchor", c.accessLog, accessLogAbi],
    ];
    for (const [name, address, abi] of owned) {
      const owner = await read<Address>(address, abi, "owner");
      if (!same(owner, c.timelock)) {
        const code = await client.getCode({ address: owner, blockNumber: block });
        violations.push({
          message: `${name} is owned by ${code && code !== "0x" ? "the contract" : "the externally owned account"} ${owner}, not by the timelock.`,
        });
      }
    }
    if (violations.length === 0)
      notes.push(
        "The timelock is its own admin and owns Membership, DataAccessRegistry, Revenue and AccessLogAnchor; " +
          "the governor is its only proposer, canceller and executor; no other account holds a role.",
      );
    const guardianNow = await read<Address>(c.registry, registryAbi, "guardian");
    const anchorOperator = await read<Address>(c.accessLog, accessLogAbi, "operator");
    const revenueOperator = await read<Address>(c.revenue, revenueAbi, "operator");
    notes.push(
      `Limited roles set by vote: guardian ${guardianNow} (may revoke a grant or pause, never approve); ` +
        `gateway operator ${anchorOperator} (anchors the access log)` +
        (same(anchorOperator, revenueOperator)
          ? "."
          : `; revenue operator ${revenueOperator} (posts by-use allocations).`),
    );
    checks.push(
      result("powers", "No account outside the members' votes holds power", notes, violations),
    );
  }

  // ---- fees -------------------------------------------------------------------------------------------
  checks.push(await checkFees(events, byTx, c, block, client, read));

  // ---- anchors ----------------------------------------------------------------------------------------
  const anchorEvents = ofName("accessLog", "Anchored");
  {
    const violations: Violation[] = [];
    let before: AuditEvent | undefined;
    for (const [position, e] of anchorEvents.entries()) {
      const batch = Number(e.args.index);
      if (batch !== position + 1)
        violations.push(
          at(e, `Anchor batch ${position + 1} is missing: the next event is batch ${batch}.`),
        );
      const expectedPrevious = before ? (before.args.root as Hex) : ZERO_HASH;
      if (!same(e.args.previousRoot, expectedPrevious))
        violations.push(
          at(
            e,
            `Anchor batch ${batch} follows root ${e.args.previousRoot}, but the batch before it anchored ${expectedPrevious}.`,
          ),
        );
      const previousSize = before ? (before.args.size as bigint) : 0n;
      if ((e.args.size as bigint) <= previousSize)
        violations.push(
          at(
            e,
            `Anchor batch ${batch} covers ${e.args.size} entries, not more than the ${previousSize} before it.`,
          ),
        );
      before = e;
    }
    const [root, size, count] = await read<[Hex, bigint, bigint]>(
      c.accessLog,
      accessLogAbi,
      "latest",
    );
    if (count !== BigInt(anchorEvents.length))
      violations.push({
        message: `The contract reports ${count} anchor batches but the chain holds ${anchorEvents.length} Anchored events: ${
          count > BigInt(anchorEvents.length)
            ? `batch ${anchorEvents.length + 1} is missing`
            : "events without batches"
        }.`,
      });
    else if (before && (!same(before.args.root, root) || (before.args.size as bigint) !== size))
      violations.push(
        at(
          before,
          `The latest anchor event does not match the contract's latest() (${root}, ${size}).`,
        ),
      );
    checks.push(
      result(
        "anchors",
        "The access-log anchors form one consistent chain",
        [
          anchorEvents.length
            ? `${anchorEvents.length} batches, ${before?.args.size} entries anchored, latest root ${before?.args.root}.`
            : "No batch anchored yet.",
        ],
        violations,
      ),
    );
  }

  // ---- gateway ----------------------------------------------------------------------------------------
  if (options.gatewayUrl) {
    checks.push(
      await checkGatewayLog(
        options.gatewayUrl,
        anchorEvents.map((e) => ({
          batch: Number(e.args.index),
          root: e.args.root as Hex,
          size: Number(e.args.size),
          previousRoot: e.args.previousRoot as Hex,
        })),
        { onProgress: options.onLogProgress },
      ),
    );
  } else {
    checks.push({
      id: "gateway",
      title: "Every published access-log entry is included under the anchors",
      status: "skipped",
      notes: [
        "Not checked: give the URL of the indexer that serves the gateway (--gateway) to check its access log.",
      ],
      violations: [],
    });
  }

  return finish(deployment, chainId, block, blockData.timestamp, events.length, checks, timeline);
}

/** The event in words, for the report and the timeline. */
function describe(e: AuditEvent): string {
  const what: Record<string, string> = {
    MemberAdmitted: `Member ${e.args.member} was admitted`,
    MemberLeft: `Member ${e.args.member} ${e.args.resigned ? "resigned" : "was removed"}`,
    DatasetRegistered: `Dataset ${e.args.datasetId} was registered`,
    DatasetRetired: `Dataset ${e.args.datasetId} was retired`,
    RequestApproved: `Grant ${e.args.requestId} to ${e.args.partner} was approved`,
    RequestRejected: `Request ${e.args.requestId} was rejected`,
    GrantRevoked: `Grant ${e.args.grantId} was revoked by ${e.args.by}`,
    Paused: `The registry was paused by ${e.args.account}`,
    Unpaused: "The registry was unpaused",
    GuardianSet: `The guardian became ${e.args.newGuardian}`,
    OperatorSet: `The operator became ${e.args.newOperator}`,
    MinimumFeeSet: `The minimum fee became ${e.args.newMinimumFee} wei`,
    MaxDurationSet: `The longest grant became ${e.args.newMaxDuration} s`,
    TreasuryShareSet: `The treasury share became ${e.args.newBps} basis points`,
    ModeSet: `The revenue mode became ${Number(e.args.newMode) === 0 ? "equal split" : "by use"}`,
    RegistrySet: `The revenue contract was wired to the registry ${e.args.registry}`,
    VotingDelaySet: `The voting delay became ${e.args.newVotingDelay} s`,
    VotingPeriodSet: `The voting period became ${e.args.newVotingPeriod} s`,
    QuorumNumeratorUpdated: `The quorum became ${e.args.newQuorumNumerator} %`,
    LateQuorumVoteExtensionSet: `The late-quorum extension became ${e.args.newVoteExtension} s`,
    MinDelayChange: `The timelock delay became ${e.args.newDuration} s`,
    RoleGranted: `The timelock's ${ROLE_NAMES.get(e.args.role as string) ?? e.args.role} was granted to ${e.args.account} by ${e.args.sender}`,
    RoleRevoked: `The timelock's ${ROLE_NAMES.get(e.args.role as string) ?? e.args.role} was revoked from ${e.args.account} by ${e.args.sender}`,
    OwnershipTransferred: `Ownership passed from ${e.args.previousOwner} to ${e.args.newOwner}`,
  };
  return what[e.name] ?? label(e);
}

async function checkFees(
  events: AuditEvent[],
  byTx: Map<Hex, AuditEvent[]>,
  c: Deployment["contracts"],
  block: bigint,
  client: PublicClient,
  read: <T>(address: Address, abi: readonly unknown[], fn: string, args?: unknown[]) => Promise<T>,
): Promise<CheckResult> {
  const violations: Violation[] = [];
  const fees = new Map<bigint, bigint>();
  const status = new Map<bigint, string>();
  let received = 0n;
  let refunded = 0n;
  let refundableAdded = 0n;
  let approvedFees = 0n;
  const deposits = new Map<bigint, AuditEvent>();
  let deposited = 0n;
  let toTreasury = 0n;
  let claimed = 0n;
  let awaiting = 0n;
  const shares = new Map<
    bigint,
    {
      mode: number;
      memberShare: bigint;
      perMember: bigint;
      memberCount: bigint;
      claimed: bigint;
      claimants: Set<string>;
      allocated?: bigint;
    }
  >();
  for (const e of events) {
    if (e.contract === "registry") {
      if (e.name === "RequestCreated") {
        const id = e.args.requestId as bigint;
        fees.set(id, e.args.fee as bigint);
        status.set(id, "pending");
        received += e.args.fee as bigint;
      } else if (e.name === "RequestApproved") {
        const id = e.args.requestId as bigint;
        const fee = fees.get(id) ?? 0n;
        status.set(id, "approved");
        approvedFees += fee;
        const deposit = (byTx.get(e.transactionHash) ?? []).find(
          (x) => x.contract === "revenue" && x.name === "Deposited" && x.args.grantId === id,
        );
        if (fee > 0n && (!deposit || (deposit.args.amount as bigint) !== fee))
          violations.push(
            at(
              e,
              `Grant ${id}'s fee of ${wei(fee)} was not deposited with the revenue contract in its approval.`,
            ),
          );
      } else if (e.name === "RequestRejected" || e.name === "RequestWithdrawn") {
        const id = e.args.requestId as bigint;
        status.set(id, "refundable");
        refundableAdded += fees.get(id) ?? 0n;
      } else if (e.name === "RefundClaimed") {
        refunded += e.args.amount as bigint;
      }
    } else if (e.contract === "revenue") {
      if (e.name === "Deposited") {
        const id = e.args.grantId as bigint;
        const amount = e.args.amount as bigint;
        const treasury = e.args.toTreasury as bigint;
        const memberShare = e.args.memberShare as bigint;
        const mode = Number(e.args.mode);
        deposits.set(id, e);
        deposited += amount;
        toTreasury += treasury;
        if (treasury + memberShare !== amount)
          violations.push(
            at(
              e,
              `Grant ${id}: ${wei(treasury)} to the treasury + ${wei(memberShare)} to members ≠ the fee of ${wei(amount)}.`,
            ),
          );
        if (
          mode === 0 &&
          memberShare !== (e.args.perMember as bigint) * (e.args.memberCount as bigint)
        )
          violations.push(
            at(
              e,
              `Grant ${id}: the members' share is not ${e.args.memberCount} × ${wei(e.args.perMember as bigint)}.`,
            ),
          );
        if (mode === 1) awaiting += memberShare;
        shares.set(id, {
          mode,
          memberShare,
          perMember: e.args.perMember as bigint,
          memberCount: e.args.memberCount as bigint,
          claimed: 0n,
          claimants: new Set(),
        });
      } else if (e.name === "AllocationPosted") {
        const share = shares.get(e.args.grantId as bigint);
        if (share) {
          share.allocated = e.args.allocated as bigint;
          awaiting -= share.memberShare;
          toTreasury += e.args.returned as bigint;
          if ((e.args.allocated as bigint) + (e.args.returned as bigint) !== share.memberShare)
            violations.push(
              at(e, `Grant ${e.args.grantId}: allocated + returned ≠ the members' share.`),
            );
        }
      } else if (e.name === "Claimed") {
        const id = e.args.grantId as bigint;
        const amount = e.args.amount as bigint;
        claimed += amount;
        const share = shares.get(id);
        if (!share) {
          violations.push(at(e, `A claim on grant ${id}, which has no deposit.`));
          continue;
        }
        const member = String(e.args.member).toLowerCase();
        if (share.claimants.has(member))
          violations.push(at(e, `${e.args.member} claimed grant ${id} twice.`));
        share.claimants.add(member);
        share.claimed += amount;
        if (share.mode === 0 && amount !== share.perMember)
          violations.push(
            at(
              e,
              `${e.args.member} was paid ${wei(amount)} for grant ${id}; each member's share is ${wei(share.perMember)}.`,
            ),
          );
        const cap = share.mode === 0 ? share.memberShare : (share.allocated ?? 0n);
        if (share.claimed > cap)
          violations.push(
            at(
              e,
              `Claims on grant ${id} reach ${wei(share.claimed)}, more than the ${wei(cap)} for members.`,
            ),
          );
      }
    }
  }
  if (deposited !== approvedFees)
    violations.push({
      message: `The revenue contract received ${wei(deposited)} in deposits, but approved grants' fees total ${wei(approvedFees)}.`,
    });
  const escrowed = [...status.entries()]
    .filter(([, s]) => s === "pending")
    .reduce((sum, [id]) => sum + (fees.get(id) ?? 0n), 0n);
  const refundable = refundableAdded - refunded;
  if (refundable < 0n)
    violations.push({ message: `Refunds paid (${wei(refunded)}) exceed refunds owed.` });

  const [tReceived, tEscrowed, tRefundable, tRefunded] = await read<
    [bigint, bigint, bigint, bigint]
  >(c.registry, registryAbi, "totals");
  const compare = (what: string, fromEvents: bigint, fromContract: bigint) => {
    if (fromEvents !== fromContract)
      violations.push({
        message: `${what}: the events add up to ${wei(fromEvents)}, the contract reports ${wei(fromContract)}.`,
      });
  };
  compare("Registry fees received", received, tReceived);
  compare("Registry fees in escrow", escrowed, tEscrowed);
  compare("Registry refunds owed", refundable, tRefundable);
  compare("Registry refunds paid", refunded, tRefunded);
  const [rDeposited, rTreasury, rClaimed, rClaimable, rAwaiting] = await read<
    [bigint, bigint, bigint, bigint, bigint]
  >(c.revenue, revenueAbi, "totals");
  compare("Revenue deposited", deposited, rDeposited);
  compare("Revenue to the treasury", toTreasury, rTreasury);
  compare("Revenue claimed", claimed, rClaimed);
  compare("Revenue awaiting allocation", awaiting, rAwaiting);
  const owedToMembers = deposited - toTreasury - claimed;
  const registryBalance = await client.getBalance({ address: c.registry, blockNumber: block });
  const revenueBalance = await client.getBalance({ address: c.revenue, blockNumber: block });
  if (registryBalance < escrowed + refundable)
    violations.push({
      message: `The registry holds ${wei(registryBalance)}, less than the ${wei(escrowed + refundable)} it owes partners (escrow and refunds).`,
    });
  if (revenueBalance < owedToMembers)
    violations.push({
      message: `The revenue contract holds ${wei(revenueBalance)}, less than the ${wei(owedToMembers)} members may still claim.`,
    });
  return result(
    "fees",
    "Every fee is accounted for",
    [
      `Partners paid ${wei(received)}: ${wei(approvedFees)} for approved grants, ${wei(escrowed)} in escrow, ` +
        `${wei(refundable)} refundable, ${wei(refunded)} refunded.`,
      `Approved fees: ${wei(toTreasury)} to the treasury, ${wei(claimed)} claimed by members, ` +
        `${wei(rClaimable)} still to claim, ${wei(awaiting)} awaiting allocation; balances cover what is owed.`,
    ],
    violations,
  );
}

function finish(
  deployment: Deployment,
  chainId: number,
  block: bigint,
  timestamp: bigint,
  events: number,
  checks: CheckResult[],
  timeline: TimelineEntry[] = [],
): AuditReport {
  return {
    ok: checks.every((check) => check.status !== "fail"),
    chainId,
    network: deployment.network,
    block: block.toString(),
    blockTime: new Date(Number(timestamp) * 1000).toISOString(),
    fromBlock: String(deployment.startBlock),
    events,
    contracts: { ...deployment.contracts },
    checks,
    timeline,
  };
}
