/** Access-log anchor events → rows. */
import { dec, lower, type ContractMapper } from "./common.ts";

export const accessLog: ContractMapper = {
  events: {
    Anchored: (a, row) => [
      row("access_log_anchors", {
        batch_index: dec(a.index),
        root: lower(a.root),
        size: dec(a.size),
        previous_root: lower(a.previousRoot),
        anchored_at: dec(a.timestamp),
      }),
    ],
  },
  settings: {
    OperatorSet: ["operator", "oldOperator", "newOperator"],
    OwnershipTransferred: ["owner", "previousOwner", "newOwner"],
  },
};
