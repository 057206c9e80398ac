/**
 * Checks a co-op's deployment parameters (the Ignition parameter file) before anything is sent, so that a refused
 * deployment sends no transaction at all: every name, founder, duration, address, share and bound the contracts
 * would check, and unknown parameter names (a typo would silently fall back to a default). The bounds are the
 * contracts' own (CoopGovernor, CoopTimelock, DataAccessRegistry, Revenue); test/data/deployment.ts compares them
 * with the deployed contracts' constants.
 */
import { getAddress, isAddress } from "ethers";

export const DAY = 86_400;

/** The contracts' bounds, in seconds, percent, basis points and millionths. */
export const BOUNDS = {
  nameBytes: { min: 1, max: 128 },
  symbolBytes: { min: 1, max: 16 },
  votingDelay: { min: 0, max: 30 * DAY }, // CoopGovernor.MAX_VOTING_DELAY
  votingPeriod: { min: 5 * 60, max: 30 * DAY }, // CoopGovernor.MIN/MAX_VOTING_PERIOD
  quorumPercent: { min: 5, max: 50 }, // CoopGovernor.MIN/MAX_QUORUM_PERCENT
  timelockDelay: { min: 60, max: 30 * DAY }, // CoopTimelock.MIN/MAX_DELAY
  treasuryBps: { min: 0, max: 10_000 },
  maxDuration: { min: 1, max: 100 * 365 * DAY }, // DataAccessRegistry's hard limit
  claimPeriod: { min: 30 * DAY, max: 3_650 * DAY }, // Revenue.MIN/MAX_CLAIM_PERIOD
  privacyEpsilonMillionths: { min: 1, max: 10_000_000 }, // DataAccessRegistry.MAX_PRIVACY_EPSILON_MILLIONTHS
  privacyPeriod: { min: DAY, max: 5 * 365 * DAY }, // DataAccessRegistry.MIN/MAX_PRIVACY_PERIOD
} as const;

/** The Ignition modules' defaults (ignition/modules/Governance.ts and DataCoop.ts). */
export const DEFAULTS = {
  Governance: {
    name: "DataCoop",
    symbol: "COOP",
    votingDelay: 3_600,
    votingPeriod: 3 * DAY,
    lateQuorumExtension: DAY,
    quorumPercent: 50,
    timelockDelay: DAY,
  },
  DataCoop: {
    guardian: "0x0000000000000000000000000000000000000000",
    operator: "0x0000000000000000000000000000000000000000",
    treasuryBps: 1_000,
    revenueMode: 0,
    minimumFee: "0",
    maxDuration: 365 * DAY,
    claimPeriod: 365 * DAY,
    privacyEpsilonMillionths: 1_000_000,
    privacyPeriod: 30 * DAY,
  },
} as const;

export interface CoopParameters {
  Governance: {
    name: string;
    symbol: string;
    founders: string[];
    votingDelay: number;
    votingPeriod: number;
    lateQuorumExtension: number;
    quorumPercent: number;
    timelockDelay: number;
  };
  DataCoop: {
    guardian: string;
    operator: string;
    treasuryBps: number;
    revenueMode: number;
    minimumFee: string;
    maxDuration: number;
    claimPeriod: number;
    privacyEpsilonMillionths: number;
    privacyPeriod: number;
  };
}

export class ParameterError extends Error {}

const ZERO = "0x0000000000000000000000000000000000000000";
const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/**
 * The parameters with every default filled in, or a ParameterError listing every problem (all of them at once, in
 * words a co-op's organiser can act on). `file` names the source in the messages.
 */
export function checkParameters(raw: unknown, file: string): CoopParameters {
  const problems: string[] = [];
  const where = (key: string) => `${key} in ${file}`;
  const root = isRecord(raw) ? raw : (problems.push(`${file} is not a JSON object`), {});
  for (const key of Object.keys(root)) {
    if (key !== "Governance" && key !== "DataCoop")
      problems.push(`${file} has an unknown module "${key}" (expected Governance and DataCoop)`);
  }
  const governance = section(root, "Governance", problems, file);
  const data = section(root, "DataCoop", problems, file);
  for (const [name, given, known] of [
    ["Governance", governance, [...Object.keys(DEFAULTS.Governance), "founders"]],
    ["DataCoop", data, Object.keys(DEFAULTS.DataCoop)],
  ] as const) {
    for (const key of Object.keys(given)) {
      if (!(known as readonly string[]).includes(key))
        problems.push(`${where(`${name}.${key}`)} is not a parameter (known: ${known.join(", ")})`);
    }
  }

  const text = (value: unknown, key: string, bounds: { min: number; max: number }): string => {
    if (typeof value !== "string") {
      problems.push(`${where(key)} must be text`);
      return "";
    }
    const bytes = utf8Length(value);
    if (bytes < bounds.min || bytes > bounds.max)
      problems.push(
        `${where(key)} must have ${bounds.min} to ${bounds.max} bytes; "${value}" has ${bytes}`,
      );
    return value;
  };
  const integer = (
    value: unknown,
    key: string,
    bounds: { min: number; max: number },
    unit = "",
  ): number => {
    if (typeof value !== "number" || !Number.isSafeInteger(value)) {
      problems.push(
        `${where(key)} must be a whole number${unit ? ` of ${unit}` : ""}; it is ${JSON.stringify(value)}`,
      );
      return 0;
    }
    if (value < bounds.min || value > bounds.max)
      problems.push(
        `${where(key)} must be between ${bounds.min} and ${bounds.max}${unit ? ` ${unit}` : ""}; it is ${value}`,
      );
    return value;
  };
  const address = (value: unknown, key: string): string => {
    if (typeof value !== "string" || !isAddress(value)) {
      problems.push(
        `${where(key)} must be an address (0x and 40 hex digits; the zero address for none)`,
      );
      return ZERO;
    }
    return getAddress(value);
  };
  const pick = <T extends Record<string, unknown>>(
    given: Record<string, unknown>,
    defaults: T,
    key: keyof T,
  ) => given[key as string] ?? defaults[key];

  const g = DEFAULTS.Governance;
  const name = text(pick(governance, g, "name"), "Governance.name", BOUNDS.nameBytes);
  const symbol = text(pick(governance, g, "symbol"), "Governance.symbol", BOUNDS.symbolBytes);
  const founders = checkFounders(governance.founders, where("Governance.founders"), problems);
  const votingDelay = integer(
    pick(governance, g, "votingDelay"),
    "Governance.votingDelay",
    BOUNDS.votingDelay,
    "seconds",
  );
  const votingPeriod = integer(
    pick(governance, g, "votingPeriod"),
    "Governance.votingPeriod",
    BOUNDS.votingPeriod,
    "seconds",
  );
  const lateQuorumExtension = integer(
    pick(governance, g, "lateQuorumExtension"),
    "Governance.lateQuorumExtension",
    { min: 0, max: votingPeriod },
    "seconds (at most the voting period)",
  );
  const quorumPercent = integer(
    pick(governance, g, "quorumPercent"),
    "Governance.quorumPercent",
    BOUNDS.quorumPercent,
    "percent",
  );
  const timelockDelay = integer(
    pick(governance, g, "timelockDelay"),
    "Governance.timelockDelay",
    BOUNDS.timelockDelay,
    "seconds",
  );

  const d = DEFAULTS.DataCoop;
  const guardian = address(pick(data, d, "guardian"), "DataCoop.guardian");
  const operator = address(pick(data, d, "operator"), "DataCoop.operator");
  const treasuryBps = integer(
    pick(data, d, "treasuryBps"),
    "DataCoop.treasuryBps",
    BOUNDS.treasuryBps,
    "basis points",
  );
  const revenueMode = integer(
    pick(data, d, "revenueMode"),
    "DataCoop.revenueMode",
    { min: 0, max: 1 },
    "(0 equal split, 1 by use)",
  );
  const minimumFee = weiAmount(pick(data, d, "minimumFee"), where("DataCoop.minimumFee"), problems);
  const maxDuration = integer(
    pick(data, d, "maxDuration"),
    "DataCoop.maxDuration",
    BOUNDS.maxDuration,
    "seconds",
  );
  const claimPeriod = integer(
    pick(data, d, "claimPeriod"),
    "DataCoop.claimPeriod",
    BOUNDS.claimPeriod,
    "seconds",
  );
  const privacyEpsilonMillionths = integer(
    pick(data, d, "privacyEpsilonMillionths"),
    "DataCoop.privacyEpsilonMillionths",
    BOUNDS.privacyEpsilonMillionths,
    "millionths of ε",
  );
  const privacyPeriod = integer(
    pick(data, d, "privacyPeriod"),
    "DataCoop.privacyPeriod",
    BOUNDS.privacyPeriod,
    "seconds",
  );

  for (const [role, value] of [
    ["guardian", guardian],
    ["operator", operator],
  ] as const) {
    if (value !== ZERO && founders.some((f) => f.toLowerCase() === value.toLowerCase()))
      problems.push(`DataCoop.${role} in ${file} is also a founder; give the role its own address`);
  }

  if (problems.length > 0) {
    throw new ParameterError(
      `Refusing to deploy: ${problems.length === 1 ? "a parameter is" : `${problems.length} parameters are`} ` +
        `not valid; nothing was sent.\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
  return {
    Governance: {
      name,
      symbol,
      founders,
      votingDelay,
      votingPeriod,
      lateQuorumExtension,
      quorumPercent,
      timelockDelay,
    },
    DataCoop: {
      guardian,
      operator,
      treasuryBps,
      revenueMode,
      minimumFee,
      maxDuration,
      claimPeriod,
      privacyEpsilonMillionths,
      privacyPeriod,
    },
  };
}

function checkFounders(value: unknown, where: string, problems: string[]): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(
      `Refusing to deploy a co-op with no founding members: ${where} is missing or empty. List the founders' ` +
        `addresses there; without members nobody could ever propose or vote`,
    );
    return [];
  }
  const seen = new Set<string>();
  const founders: string[] = [];
  for (const founder of value) {
    if (typeof founder !== "string" || !isAddress(founder) || BigInt(founder) === 0n) {
      problems.push(`${where}: ${JSON.stringify(founder)} is not an address`);
      continue;
    }
    const key = founder.toLowerCase();
    if (seen.has(key)) problems.push(`${where} lists ${founder} twice`);
    seen.add(key);
    founders.push(getAddress(founder));
  }
  return founders;
}

function weiAmount(value: unknown, where: string, problems: string[]): string {
  const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== "string" || !/^(0|[1-9][0-9]{0,37})$/.test(text)) {
    problems.push(`${where} must be a whole number of wei (as text), at most 38 digits`);
    return "0";
  }
  return text;
}

function section(
  root: Record<string, unknown>,
  key: string,
  problems: string[],
  file: string,
): Record<string, unknown> {
  const value = root[key];
  if (value === undefined) return {};
  if (!isRecord(value)) {
    problems.push(`${key} in ${file} must be an object`);
    return {};
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
