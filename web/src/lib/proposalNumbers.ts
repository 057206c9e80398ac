/**
 * Short proposal numbers ("proposal 7") instead of the governor's 77-digit ids. When the governor numbers
 * proposals itself (sequential ids, or a `number` the read API reports) that number is used; otherwise a
 * proposal's number is its place in the order of creation, counted from the read API's newest-first list.
 */
import type { ApiPage, ApiProposal } from "./indexerApi.ts";

/** Ids below this are already short numbers (a governor with sequential ids). */
const SHORT = 1n << 32n;

/** Proposal id (decimal string) → its short number, for every proposal on `page`. */
export function numberProposals(
  page: Pick<ApiPage<Pick<ApiProposal, "proposalId" | "number">>, "items" | "total" | "offset">,
): Map<string, number> {
  const numbers = new Map<string, number>();
  page.items.forEach((p, i) => {
    const id = BigInt(p.proposalId);
    const n =
      p.number != null ? Number(p.number) : id < SHORT ? Number(id) : page.total - page.offset - i;
    numbers.set(p.proposalId, n);
  });
  return numbers;
}

/**
 * The proposal a typed or linked number names: a long id is itself; a short number is the proposal that
 * carries it, when the list knows one; undefined while it does not.
 */
export function resolveProposal(
  idOrNumber: bigint,
  numbers: ReadonlyMap<string, number> | undefined,
): bigint | undefined {
  if (idOrNumber >= SHORT) return idOrNumber;
  if (!numbers) return undefined;
  for (const [id, n] of numbers) if (n === Number(idOrNumber)) return BigInt(id);
  // A short id the list does not number yet (a governor with sequential ids, a proposal just made).
  return idOrNumber;
}
