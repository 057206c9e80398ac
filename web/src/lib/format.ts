/** Display helpers shared by the screens; pure, so they are unit-tested. */
import { formatEther } from "viem";

export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

export type Duration = { days: number; hours: number; minutes: number; seconds: number };

/** Splits a number of seconds (negative counts as 0) into days, hours, minutes and seconds. */
export function splitDuration(totalSeconds: number): Duration {
  let s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86_400);
  s -= days * 86_400;
  const hours = Math.floor(s / 3_600);
  s -= hours * 3_600;
  const minutes = Math.floor(s / 60);
  return { days, hours, minutes, seconds: s - minutes * 60 };
}

/** A compact countdown: the two largest non-zero units, e.g. "2 d 3 h", "9 min 05 s", "42 s". */
export function formatCountdown(totalSeconds: number, units: Record<keyof Duration, string>) {
  const { days, hours, minutes, seconds } = splitDuration(totalSeconds);
  if (days > 0) return `${days} ${units.days} ${hours} ${units.hours}`;
  if (hours > 0)
    return `${hours} ${units.hours} ${String(minutes).padStart(2, "0")} ${units.minutes}`;
  if (minutes > 0)
    return `${minutes} ${units.minutes} ${String(seconds).padStart(2, "0")} ${units.seconds}`;
  return `${seconds} ${units.seconds}`;
}

/** Share of `part` in `whole` as a fraction in [0, 1]; 1 when nothing is needed. */
export function fraction(part: bigint, whole: bigint): number {
  if (whole <= 0n) return 1;
  if (part >= whole) return 1;
  if (part <= 0n) return 0;
  return Number((part * 10_000n) / whole) / 10_000;
}

/** Parses a proposal id typed by a person (decimal or 0x hex); null when it is not a uint256. */
export function parseProposalId(input: string): bigint | null {
  const text = input.trim();
  if (!/^(0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$/.test(text)) return null;
  const id = BigInt(text);
  return id > 0n && id < 2n ** 256n ? id : null;
}

/** A membership application's URI: http(s), ipfs or ar links, at most 2 000 characters. */
export function isValidApplicationUri(input: string): boolean {
  const text = input.trim();
  if (text.length === 0 || text.length > 2_000) return false;
  if (/^ipfs:\/\/\S+$/.test(text) || /^ar:\/\/\S+$/.test(text)) return true;
  try {
    const url = new URL(text);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/**
 * The chain's time now, in seconds. Block timestamps lead the wall clock on a local chain moved forward in
 * time (and on chains whose clock runs ahead); they lag it while no block is made. So: the latest block's
 * timestamp plus the time since we saw it, but never earlier than the wall clock.
 */
export function estimateChainTime(wallMs: number, blockTimestamp?: bigint, seenAtMs?: number) {
  const wall = wallMs / 1000;
  if (blockTimestamp === undefined || seenAtMs === undefined) return wall;
  return Math.max(wall, Number(blockTimestamp) + (wallMs - seenAtMs) / 1000);
}

/** A length of time for a setting, e.g. "10 min 00 s", "7 d 0 h". */
export const formatDuration = formatCountdown;

/** An amount of wei in ether, e.g. "0.25 ETH". */
export function formatEth(wei: bigint): string {
  return `${formatEther(wei)} ETH`;
}
