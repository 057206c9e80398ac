/**
 * Access-log entries written by the gateway's own log writer, for tests of what reads the log (the
 * operator's tree and anchors, the auditor) without serving queries first.
 */
import type { Address } from "viem";
import type { GatewayKeys } from "../../src/gateway/auth/keys.ts";
import { appendEntry } from "../../src/gateway/serving/accessLog.ts";
import type { Db } from "../../src/store/db.ts";

export { randomKeys } from "../../src/gateway/auth/keys.ts";
export type { GatewayKeys };

/** Appends entries `from`…`to` (erasures of n records each by `memberOf(n)`), one transaction each. */
export async function appendErasures(
  db: Db,
  keys: GatewayKeys,
  from: number,
  to: number,
  memberOf: (n: number) => Address,
): Promise<void> {
  for (let n = from; n <= to; n++) {
    await db.transaction((tx) =>
      appendEntry(tx, keys, { kind: "erasure", datasetId: "1", records: n }, [memberOf(n)]),
    );
  }
}
