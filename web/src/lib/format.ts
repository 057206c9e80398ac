/** Display helpers shared by the screens; pure, so they are unit-tested. */

export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** Share of `part` in `whole` as a fraction in [0, 1]; 1 when nothing is needed. */
export function fraction(part: bigint, whole: bigint): number {
  if (whole <= 0n) return 1;
  if (part >= whole) return 1;
  if (part <= 0n) return 0;
  return Number((part * 10_000n) / whole) / 10_000;
}

/**
 * A proposal number typed by a person ("7", "no. 7", "#7"), or a governor id pasted from elsewhere
 * (decimal or 0x hex); null when it is neither.
 */
export function parseProposalNumber(input: string): bigint | null {
  const text = input.trim().replace(/^(no\.?|n[°º]|#|№)\s*/i, "");
  return parseProposalId(text);
}

/** Parses a proposal id (decimal or 0x hex); null when it is not a uint256. */
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
