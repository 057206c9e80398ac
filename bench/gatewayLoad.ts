/**
 * The gateway benchmark's co-op: 10,000 members, 1,000 grants and 100,000 records.
 *
 * The chain-derived facts (admissions, standing consents, per-grant choices, the dataset, requests and
 * their approvals) are written straight into the indexer's domain tables, in the rows the follower would
 * write for those events — making 10,000 members by 10,000 votes on a local node would take far longer
 * than the measurement. Everything the gateway does itself goes through its own code: the schema document
 * is accepted against the registered hash, and every record is validated and stored by `storeRecords`.
 * The enforcement part of the benchmark (revocation, withdrawal) runs on a real chain instead.
 */
import { keccak256, stringToHex, type Address, type Hex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { domain } from "../indexer/src/domain/index.ts";
import { canonicalHash } from "../indexer/src/gateway/canonical.ts";
import { gatewayMigrations } from "../indexer/src/gateway/migrations.ts";
import { acceptDataset, fillDataTable, validateBatch } from "../indexer/src/gateway/records.ts";
import type { SchemaDocument } from "../indexer/src/gateway/schema.ts";
import { coreMigrations } from "../indexer/src/store/core.ts";
import type { Db } from "../indexer/src/store/db.ts";
import { migrate } from "../indexer/src/store/migrate.ts";

export const CHAIN_ID = 31337;
export const DATASET_ID = 1n;
export const REGIONS = ["north", "south", "east", "west", "central"];
export const CROPS = ["maize", "beans", "cassava", "sorghum"];

export const harvests: SchemaDocument = {
  name: "Harvests",
  fields: [
    { name: "farmer", type: "string", identifying: true },
    { name: "region", type: "string", enum: REGIONS },
    { name: "crop", type: "string", enum: CROPS },
    { name: "year", type: "integer", min: 2000, max: 2100 },
    { name: "yield_t_ha", type: "number", unit: "t/ha", min: 0, max: 30 },
    { name: "rainfall_mm", type: "number", unit: "mm", min: 0, max: 5000 },
    { name: "organic", type: "boolean" },
    { name: "planted", type: "date" },
  ],
};
const FIELDS = harvests.fields.map((f) => f.name);
/** Every field but the identifying one (bit 0). */
const FIELD_MASK = (1n << BigInt(FIELDS.length)) - 2n;

export interface LoadOptions {
  members: number;
  recordsPerMember: number;
  grants: number;
  /** Per-grant choices (opt in / opt out), spread over the grants. */
  choices: number;
  progress?: (stage: string, done: number, total: number) => void;
}

export interface Loaded {
  /** Grant id → its partner's key (every grant has its own partner). */
  partners: Map<bigint, PrivateKeyAccount>;
  /** Grants with row-level access (odd ids) and aggregate-only ones (even ids). */
  rowGrants: bigint[];
  aggregateGrants: bigint[];
  latestBlock: bigint;
  latestTime: bigint;
  members: Address[];
}

/** A deterministic pseudo-random sequence, so two runs load the same co-op. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const memberAddress = (i: number): Address =>
  `0x${keccak256(stringToHex(`member-${i}`)).slice(26)}` as Address;
const hash = (label: string): Hex => keccak256(stringToHex(label));
/** Each grant's partner: a key derived from the grant's number, so a loaded store can be reused. */
export const partnerAccount = (g: number) => privateKeyToAccount(hash(`partner-${g}`));

/** Inserts rows in chunks of `size` through unnest, one statement per chunk. */
async function insertColumns(
  db: Db,
  table: string,
  columns: [name: string, type: string][],
  rows: unknown[][],
  size = 5000,
) {
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    const params = columns.map((_, c) => chunk.map((r) => r[c]));
    await db.query(
      `INSERT INTO ${table} (${columns.map(([n]) => n).join(", ")})
       SELECT * FROM unnest(${columns.map(([, t], c) => `$${c + 1}::${t}[]`).join(", ")})`,
      params,
    );
  }
}

export async function loadCoop(db: Db, options: LoadOptions): Promise<Loaded> {
  const rnd = random(42);
  const progress = options.progress ?? (() => undefined);
  await migrate(db, [...coreMigrations, ...domain.migrations]);
  await migrate(db, gatewayMigrations);

  const now = BigInt(Math.floor(Date.now() / 1000));
  // Block b was mined at start + 2b; the whole history ends a minute ago.
  const blocksNeeded = 10 + Math.ceil(options.members / 100) * 2 + options.grants * 2 + 10;
  const start = now - 60n - BigInt(blocksNeeded) * 2n;
  const time = (block: number) => start + BigInt(block) * 2n;
  let block = 1;
  const event = (logIndex: number) => [block, logIndex, time(block), hash(`tx-${block}`)];
  const eventCols: [string, string][] = [
    ["block_number", "bigint"],
    ["log_index", "int"],
    ["block_time", "bigint"],
    ["tx_hash", "text"],
  ];

  // The dataset, registered by vote.
  const schemaHash = canonicalHash(harvests);
  await insertColumns(
    db,
    "datasets",
    [
      ["dataset_id", "numeric"],
      ["name", "text"],
      ["schema_uri", "text"],
      ["schema_hash", "text"],
      ["fields", "jsonb"],
      ["field_count", "int"],
      ...eventCols,
    ],
    [
      [
        DATASET_ID.toString(),
        "Harvests",
        "ipfs://schemas/harvests",
        schemaHash,
        JSON.stringify(FIELDS),
        FIELDS.length,
        ...event(0),
      ],
    ],
  );
  block++;

  // Members: admitted a hundred per block; each sets a standing consent in the next block.
  const members = Array.from({ length: options.members }, (_, i) => memberAddress(i));
  const admissions: unknown[][] = [];
  const consents: unknown[][] = [];
  for (let i = 0; i < members.length; i += 100) {
    const batch = members.slice(i, i + 100);
    batch.forEach((m, j) => admissions.push([m, i + j + 1, true, null, ...event(j)]));
    block++;
    batch.forEach((m, j) => {
      // Each purpose is consented to by about seven members in ten.
      let mask = 0n;
      for (let p = 0; p < 8; p++) if (rnd() < 0.7) mask |= 1n << BigInt(p);
      consents.push([m, mask.toString(), ...event(j)]);
    });
    block++;
    progress("members", Math.min(i + 100, members.length), members.length);
  }
  await insertColumns(
    db,
    "member_changes",
    [
      ["member", "text"],
      ["member_id", "numeric"],
      ["admitted", "boolean"],
      ["resigned", "boolean"],
      ...eventCols,
    ],
    admissions,
  );
  await insertColumns(
    db,
    "consent_changes",
    [["member", "text"], ["mask", "numeric"], ...eventCols],
    consents,
  );

  // Grants: each requested by its own partner in one block and approved in the next.
  const partners = new Map<bigint, PrivateKeyAccount>();
  const requests: unknown[][] = [];
  const approvals: unknown[][] = [];
  for (let g = 1; g <= options.grants; g++) {
    const id = BigInt(g);
    const partner = partnerAccount(g);
    partners.set(id, partner);
    const p = partner.address.toLowerCase();
    requests.push([
      g,
      p,
      DATASET_ID.toString(),
      (g - 1) % 8,
      FIELD_MASK.toString(),
      g % 2 === 1,
      10,
      (365n * 86_400n).toString(),
      `ipfs://terms/${g}`,
      "1000000000000000",
      hash(`terms-${g}`),
      ...event(0),
    ]);
    block++;
    approvals.push([
      g,
      p,
      time(block).toString(),
      (time(block) + 365n * 86_400n).toString(),
      ...event(0),
    ]);
    block++;
  }
  await insertColumns(
    db,
    "requests",
    [
      ["request_id", "numeric"],
      ["partner", "text"],
      ["dataset_id", "numeric"],
      ["purpose", "smallint"],
      ["field_mask", "numeric"],
      ["row_level", "boolean"],
      ["min_cohort", "bigint"],
      ["duration", "numeric"],
      ["terms_uri", "text"],
      ["fee", "numeric"],
      ["terms_hash", "text"],
      ...eventCols,
    ],
    requests,
  );
  await insertColumns(
    db,
    "request_approvals",
    [
      ["request_id", "numeric"],
      ["partner", "text"],
      ["start_time", "numeric"],
      ["end_time", "numeric"],
      ...eventCols,
    ],
    approvals,
  );
  progress("grants", options.grants, options.grants);

  // Per-grant choices: members opting in to or out of particular grants.
  const choices: unknown[][] = [];
  for (let i = 0; i < options.choices; i++) {
    if (i % 100 === 0) block++;
    const member = members[Math.floor(rnd() * members.length)]!;
    const grant = 1 + Math.floor(rnd() * options.grants);
    choices.push([member, grant, rnd() < 0.5 ? 1 : 2, ...event(i % 100)]);
  }
  await insertColumns(
    db,
    "grant_choices",
    [["member", "text"], ["grant_id", "numeric"], ["choice", "smallint"], ...eventCols],
    choices,
  );

  // The follower's checkpoint and the latest block's header.
  const latest = block;
  await db.query(
    "INSERT INTO blocks (chain_id, number, hash, parent_hash, timestamp) VALUES ($1, $2, $3, $4, $5)",
    [
      CHAIN_ID,
      latest,
      hash(`block-${latest}`),
      hash(`block-${latest - 1}`),
      time(latest).toString(),
    ],
  );
  await db.query(
    "INSERT INTO checkpoint (chain_id, block_number, block_hash) VALUES ($1, $2, $3)",
    [CHAIN_ID, latest, hash(`block-${latest}`)],
  );

  // The gateway's side, through its own code: the schema document, then every member's records.
  const schema = await acceptDataset(db, harvests, {
    datasetId: DATASET_ID,
    schemaHash,
    fields: FIELDS,
    retired: false,
  });
  // Records: validated by the gateway's own validator, then written in bulk in the rows `storeRecords`
  // writes (one transaction per member would spend minutes on commits, not on what is measured).
  const pending: unknown[][] = [];
  const flush = async () => {
    await insertColumns(
      db,
      "gateway_records",
      [
        ["dataset_id", "numeric"],
        ["member", "text"],
        ["record_id", "text"],
        ["data", "jsonb"],
      ],
      pending.splice(0),
    );
  };
  for (const [i, member] of members.entries()) {
    const records = Array.from({ length: options.recordsPerMember }, (_, j) => {
      const region = REGIONS[i % REGIONS.length]!;
      const year = 2015 + (j % 10);
      return {
        recordId: `harvest-${year}-${j}`,
        values: {
          farmer: `Farmer ${i}`,
          region,
          crop: CROPS[Math.floor(rnd() * CROPS.length)]!,
          year,
          yield_t_ha: Math.round(rnd() * 80) / 10,
          rainfall_mm: Math.round(300 + rnd() * 1500),
          organic: rnd() < 0.3,
          planted: `${year}-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 10)}`,
        },
      };
    });
    validateBatch(schema, records);
    for (const r of records) {
      pending.push([
        DATASET_ID.toString(),
        member.toLowerCase(),
        r.recordId,
        JSON.stringify(r.values),
      ]);
    }
    if (pending.length >= 5000) {
      await flush();
      progress(
        "records",
        (i + 1) * options.recordsPerMember,
        members.length * options.recordsPerMember,
      );
    }
  }
  await flush();
  progress(
    "records",
    members.length * options.recordsPerMember,
    members.length * options.recordsPerMember,
  );
  await db.query(
    `INSERT INTO gateway_contributors (dataset_id, member, live)
     SELECT dataset_id, member, count(*) FROM gateway_records GROUP BY dataset_id, member`,
  );
  await fillDataTable(db, schema);

  const ids = [...partners.keys()];
  return {
    partners,
    rowGrants: ids.filter((g) => g % 2n === 1n),
    aggregateGrants: ids.filter((g) => g % 2n === 0n),
    latestBlock: BigInt(latest),
    latestTime: time(latest),
    members,
  };
}
