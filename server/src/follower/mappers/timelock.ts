/** Timelock events → rows. */
import { dec, lower, type ContractMapper, type EventMapper } from "./common.ts";

const call: EventMapper = (a, row, log) => [
  row("timelock_calls", {
    operation_id: lower(a.id),
    call_index: dec(a.index),
    executed: log.eventName === "CallExecuted",
    target: lower(a.target),
    value: dec(a.value),
    data: lower(a.data),
    predecessor: a.predecessor === undefined ? null : lower(a.predecessor),
    delay: a.delay === undefined ? null : dec(a.delay),
  }),
];

const role: EventMapper = (a, row, log) => [
  row("timelock_roles", {
    role: lower(a.role),
    account: lower(a.account),
    granted: log.eventName === "RoleGranted",
    sender: lower(a.sender),
  }),
];

export const timelock: ContractMapper = {
  events: {
    CallScheduled: call,
    CallExecuted: call,
    Cancelled: (a, row) => [row("timelock_cancellations", { operation_id: lower(a.id) })],
    RoleGranted: role,
    RoleRevoked: role,
  },
  settings: {
    MinDelayChange: ["min_delay", "oldDuration", "newDuration"],
  },
  ignored: {
    CallSalt: "the salt only makes an operation id unique; the id is stored",
    RoleAdminChanged: "OpenZeppelin's TimelockController fixes its role admins at deployment",
  },
};
