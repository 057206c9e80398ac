/**
 * The demo co-op: Valley Growers, a farmers' data co-op, with a history that gives every screen something
 * to show. `npm start` runs it on a freshly deployed local chain (it moves the chain's clock), then, once
 * the indexer is up, has the members contribute their records through the gateway.
 *
 * On the chain (`seedChain`):
 *   - 12 members: the 5 founders (demo accounts 0–4) and 7 farmers admitted by one vote (accounts 10–14,
 *     16, 17); account 5 has applied and waits for a vote;
 *   - 2 datasets registered by vote: "Harvests 2026" and "Soil samples 2026";
 *   - varied consent: research for most, benchmarking, AI training or marketing for some, nothing for two;
 *     one member opts out of the university's grant;
 *   - 2 partners: Northfield University (account 18) and AgriMarket Ltd (account 15);
 *     the university's request for harvest aggregates approved by vote (1 ETH, split among the 12 members,
 *     5 of whom have claimed); AgriMarket's row-level marketing request rejected by vote (its fee
 *     refundable); AgriMarket's soil request approved, then revoked by the guardian; the university's
 *     request for soil data open for votes (4 For, 1 Against so far).
 * Through the gateway (`seedGateway`): the two schema documents, then every member's records: 3,000 in all.
 */
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  encodeFunctionData,
  http,
  keccak256,
  parseEther,
  publicActions,
  stringToHex,
  type Abi,
  type Address,
  type HDAccount,
  type Hex,
  zeroHash,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { hardhat } from "viem/chains";
import {
  consentAbi,
  governorAbi,
  membershipAbi,
  registryAbi,
  revenueAbi,
} from "@datacoop/protocol/abis.generated";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import { canonicalHash } from "@datacoop/protocol/canonical";
import type { Deployment } from "@datacoop/protocol/deployment";
import type { SchemaDocument } from "@datacoop/protocol/datasetSchema";

const MNEMONIC = "test test test test test test test test test test test junk";
export const account = (i: number): HDAccount => mnemonicToAccount(MNEMONIC, { addressIndex: i });

export const FOUNDERS = [0, 1, 2, 3, 4];
export const ADMITTED = [10, 11, 12, 13, 14, 16, 17];
export const MEMBERS = [...FOUNDERS, ...ADMITTED];
export const APPLICANT = 5;
export const OPERATOR = 8;
export const GUARDIAN = 9;
export const UNIVERSITY = 18;
export const MARKET = 15;
export const RECORDS_PER_MEMBER = { harvests: 150, soil: 100 };

/** What the demo promises (the README's numbers; the start test checks them). */
export const PROMISED = {
  members: MEMBERS.length,
  datasets: 2,
  requests: 4,
  proposals: 6,
  records: MEMBERS.length * (RECORDS_PER_MEMBER.harvests + RECORDS_PER_MEMBER.soil),
};

const REGIONS = ["north", "south", "east", "west", "valley"];
const CROPS = ["maize", "wheat", "beans", "coffee", "sorghum"];

/** What members read in each of the dApp's languages (the schema's labels). */
type Labels = { en: string; es: string; fr: string; sw: string; hi: string };
const l = (en: string, es: string, fr: string, sw: string, hi: string): Labels => ({
  en,
  es,
  fr,
  sw,
  hi,
});
const REGION_LABELS: Record<string, Labels> = {
  north: l("North", "Norte", "Nord", "Kaskazini", "उत्तर"),
  south: l("South", "Sur", "Sud", "Kusini", "दक्षिण"),
  east: l("East", "Este", "Est", "Mashariki", "पूर्व"),
  west: l("West", "Oeste", "Ouest", "Magharibi", "पश्चिम"),
  valley: l("Valley", "Valle", "Vallée", "Bondeni", "घाटी"),
};
const CROP_LABELS: Record<string, Labels> = {
  maize: l("Maize", "Maíz", "Maïs", "Mahindi", "मक्का"),
  wheat: l("Wheat", "Trigo", "Blé", "Ngano", "गेहूँ"),
  beans: l("Beans", "Frijoles", "Haricots", "Maharage", "राजमा"),
  coffee: l("Coffee", "Café", "Café", "Kahawa", "कॉफ़ी"),
  sorghum: l("Sorghum", "Sorgo", "Sorgho", "Mtama", "ज्वार"),
};
const FARM = l("Farm name", "Nombre de la finca", "Nom de la ferme", "Jina la shamba", "खेत का नाम");
const REGION = l("Region", "Región", "Région", "Eneo", "क्षेत्र");

export const HARVESTS: SchemaDocument = {
  name: "Harvests 2026",
  description: "One record per field and harvest: what was grown, where, and how much came in.",
  fields: [
    {
      name: "farm",
      type: "string",
      identifying: true,
      description: "The farm's name",
      labels: FARM,
    },
    { name: "region", type: "string", enum: REGIONS, labels: REGION, enumLabels: REGION_LABELS },
    {
      name: "crop",
      type: "string",
      enum: CROPS,
      labels: l("Crop", "Cultivo", "Culture", "Zao", "फ़सल"),
      enumLabels: CROP_LABELS,
    },
    {
      name: "hectares",
      type: "number",
      unit: "ha",
      min: 0,
      max: 200,
      labels: l("Area", "Superficie", "Surface", "Ukubwa wa shamba", "क्षेत्रफल"),
    },
    {
      name: "yield_t_per_ha",
      type: "number",
      unit: "t/ha",
      min: 0,
      max: 20,
      labels: l("Yield", "Rendimiento", "Rendement", "Mavuno kwa hekta", "प्रति हेक्टेयर उपज"),
    },
    {
      name: "rainfall_mm",
      type: "number",
      unit: "mm",
      min: 0,
      max: 3000,
      labels: l("Rainfall", "Lluvia", "Pluie", "Mvua", "वर्षा"),
    },
    {
      name: "organic",
      type: "boolean",
      labels: l("Organic", "Ecológico", "Bio", "Kilimo hai", "जैविक खेती"),
    },
    {
      name: "harvest_date",
      type: "date",
      labels: l(
        "Harvest date",
        "Fecha de cosecha",
        "Date de récolte",
        "Tarehe ya mavuno",
        "कटाई की तारीख़",
      ),
    },
  ],
};

export const SOIL: SchemaDocument = {
  name: "Soil samples 2026",
  description: "Laboratory soil analyses, one per sampled plot.",
  fields: [
    {
      name: "farm",
      type: "string",
      identifying: true,
      description: "The farm's name",
      labels: FARM,
    },
    { name: "region", type: "string", enum: REGIONS, labels: REGION, enumLabels: REGION_LABELS },
    {
      name: "ph",
      type: "number",
      min: 0,
      max: 14,
      labels: l("Soil pH", "pH del suelo", "pH du sol", "pH ya udongo", "मिट्टी का pH"),
    },
    {
      name: "organic_matter_pct",
      type: "number",
      unit: "%",
      min: 0,
      max: 100,
      labels: l(
        "Organic matter",
        "Materia orgánica",
        "Matière organique",
        "Mabaki ya viumbe hai",
        "जैविक पदार्थ",
      ),
    },
    {
      name: "nitrogen_ppm",
      type: "number",
      unit: "ppm",
      min: 0,
      max: 500,
      labels: l("Nitrogen", "Nitrógeno", "Azote", "Naitrojeni", "नाइट्रोजन"),
    },
    {
      name: "sampled_on",
      type: "date",
      labels: l(
        "Sampling date",
        "Fecha del muestreo",
        "Date du prélèvement",
        "Tarehe ya sampuli",
        "नमूने की तारीख़",
      ),
    },
  ],
};

const bit = (key: string) => {
  const purpose = PURPOSES.find((p) => p.key === key);
  if (!purpose) throw new Error(`unknown purpose ${key}`);
  return purpose.bit;
};

export type Progress = (message: string) => void;

function clients(rpcUrl: string) {
  const transport = http(rpcUrl, { retryCount: 3, retryDelay: 100 });
  const publicClient = createPublicClient({ chain: hardhat, transport });
  const testClient = createTestClient({ chain: hardhat, mode: "hardhat", transport }).extend(
    publicActions,
  );
  const wallet = (i: number) =>
    createWalletClient({ chain: hardhat, transport, account: account(i) });
  return { publicClient, testClient, wallet };
}

interface Action {
  target: Address;
  data: Hex;
  value?: bigint;
}

export async function seedChain(
  rpcUrl: string,
  deployment: Deployment,
  progress: Progress = () => undefined,
): Promise<void> {
  const { publicClient, testClient, wallet } = clients(rpcUrl);
  const at = deployment.contracts;

  async function send(
    from: number,
    address: Address,
    abi: Abi,
    functionName: string,
    args: unknown[] = [],
    value?: bigint,
  ) {
    const hash = await wallet(from).writeContract({
      address,
      abi,
      functionName,
      args,
      value,
    } as never);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} by account ${from} failed`);
    return receipt;
  }
  const read = <T>(address: Address, abi: Abi, functionName: string, args: unknown[] = []) =>
    publicClient.readContract({ address, abi, functionName, args }) as Promise<T>;
  const call = (address: Address, abi: Abi, functionName: string, args: unknown[]): Action => ({
    target: address,
    data: encodeFunctionData({ abi, functionName, args }),
  });
  async function warpTo(time: bigint) {
    const now = (await publicClient.getBlock()).timestamp;
    if (time > now) await testClient.increaseTime({ seconds: Number(time - now) });
    await testClient.mine({ blocks: 1 });
  }

  async function propose(
    proposer: number,
    actions: Action[],
    description: string,
  ): Promise<bigint> {
    const args = [
      actions.map((a) => a.target),
      actions.map((a) => a.value ?? 0n),
      actions.map((a) => a.data),
      description,
    ];
    await send(proposer, at.governor, governorAbi, "propose", args);
    const id = await read<bigint>(at.governor, governorAbi, "getProposalId", [
      ...args.slice(0, 3),
      keccak256(stringToHex(description)),
    ]);
    await warpTo((await read<bigint>(at.governor, governorAbi, "proposalSnapshot", [id])) + 1n);
    return id;
  }

  /** Proposes, collects the votes (voter index → 0 Against, 1 For, 2 Abstain), queues and executes. */
  async function decide(
    proposer: number,
    actions: Action[],
    description: string,
    votes: [number, number][],
  ) {
    const id = await propose(proposer, actions, description);
    for (const [voter, support] of votes)
      await send(voter, at.governor, governorAbi, "castVote", [id, support]);
    await warpTo((await read<bigint>(at.governor, governorAbi, "proposalDeadline", [id])) + 1n);
    const args = [
      actions.map((a) => a.target),
      actions.map((a) => a.value ?? 0n),
      actions.map((a) => a.data),
      keccak256(stringToHex(description)),
    ];
    await send(proposer, at.governor, governorAbi, "queue", args);
    await warpTo((await read<bigint>(at.governor, governorAbi, "proposalEta", [id])) + 1n);
    await send(proposer, at.governor, governorAbi, "execute", args);
    return id;
  }
  const forAll = (voters: number[], against: number[] = [], abstain: number[] = []) =>
    voters.map((v): [number, number] => [v, against.includes(v) ? 0 : abstain.includes(v) ? 2 : 1]);

  progress("applications");
  for (const [n, i] of [...ADMITTED, APPLICANT].entries()) {
    await send(i, at.membership, membershipAbi, "applyForMembership", [
      `ipfs://valley-growers/applications/${n + 1}`,
    ]);
  }
  progress("admitting 7 farmers by vote");
  await decide(
    0,
    ADMITTED.map((i) => call(at.membership, membershipAbi, "admit", [account(i).address])),
    "# Admit seven farmers\n\nWelcome the seven farms from the autumn intake as members.",
    forAll(FOUNDERS, [], [4]),
  );

  progress("registering two datasets by vote");
  await decide(
    1,
    [HARVESTS, SOIL].map((doc, n) =>
      call(at.registry, registryAbi, "registerDataset", [
        doc.name,
        `ipfs://valley-growers/schemas/${n === 0 ? "harvests" : "soil"}-2026.json`,
        canonicalHash(doc),
        doc.fields.map((f) => f.name),
      ]),
    ),
    "# Register the 2026 datasets\n\nHarvests and soil samples, with the schemas attached.",
    forAll(MEMBERS.slice(0, 9), [7]),
  );

  progress("members' consent");
  const research =
    (1n << BigInt(bit("ACADEMIC_RESEARCH"))) | (1n << BigInt(bit("PUBLIC_INTEREST_RESEARCH")));
  const masks: bigint[] = MEMBERS.map((_, n) =>
    n === 3 || n === 9
      ? 0n
      : n % 4 === 1
        ? research | (1n << BigInt(bit("MEMBER_BENCHMARKING")))
        : n === 2
          ? research | (1n << BigInt(bit("AI_MODEL_TRAINING")))
          : n === 6
            ? research | (1n << BigInt(bit("MARKETING")))
            : research,
  );
  for (const [n, i] of MEMBERS.entries()) {
    if (masks[n]) await send(i, at.consent, consentAbi, "setConsent", [masks[n]]);
  }

  progress("partners' requests");
  const harvestAggregates = {
    fieldMask: 0b0111110n,
    rowLevel: false,
    minCohort: 3,
    exactTabulations: zeroHash,
  };
  await send(
    UNIVERSITY,
    at.registry,
    registryAbi,
    "requestAccess",
    [
      1n,
      bit("ACADEMIC_RESEARCH"),
      harvestAggregates,
      180n * 86_400n,
      "ipfs://valley-growers/terms/northfield-yields",
      "Valley Research Institute",
    ],
    parseEther("1"),
  );
  await send(
    MARKET,
    at.registry,
    registryAbi,
    "requestAccess",
    [
      1n,
      bit("MARKETING"),
      { fieldMask: 0b0000110n, rowLevel: true, minCohort: 1, exactTabulations: zeroHash },
      60n * 86_400n,
      "ipfs://valley-growers/terms/agrimarket-rows",
      "AgriMarket Ltd",
    ],
    parseEther("0.5"),
  );
  await send(
    MARKET,
    at.registry,
    registryAbi,
    "requestAccess",
    [
      2n,
      bit("PRODUCT_DEVELOPMENT"),
      { fieldMask: 0b011110n, rowLevel: false, minCohort: 5, exactTabulations: zeroHash },
      90n * 86_400n,
      "ipfs://valley-growers/terms/agrimarket-soil",
      "AgriMarket Ltd",
    ],
    parseEther("0.3"),
  );

  const sponsored = async (requestId: bigint, kind: "approvalProposal" | "rejectionProposal") => {
    const [targets, values, calldatas, description] = await read<
      [Address[], bigint[], Hex[], string]
    >(at.registry, registryAbi, kind, [requestId]);
    return {
      actions: targets.map((target, n) => ({ target, value: values[n], data: calldatas[n] })),
      description,
    };
  };
  progress("approving the university's request by vote");
  let p = await sponsored(1n, "approvalProposal");
  await decide(2, p.actions, p.description, forAll(MEMBERS.slice(0, 11), [10], [9]));
  progress("rejecting AgriMarket's marketing request by vote");
  p = await sponsored(2n, "rejectionProposal");
  await decide(3, p.actions, p.description, forAll(MEMBERS.slice(0, 10), [6], [2]));
  progress("approving AgriMarket's soil request, then the guardian's revocation");
  p = await sponsored(3n, "approvalProposal");
  await decide(10, p.actions, p.description, forAll(MEMBERS.slice(0, 8), [1, 3]));
  await send(GUARDIAN, at.registry, registryAbi, "revoke", [
    3n,
    "Soil data shared beyond the agreed use (complaint 2026-04)",
  ]);

  progress("opt-outs, claims and refunds");
  await send(12, at.consent, consentAbi, "setGrantChoice", [1n, 2]);
  for (const i of MEMBERS.slice(0, 5))
    await send(i, at.revenue, revenueAbi, "claim", [1n, account(i).address]);

  progress("a vote left open");
  await send(
    UNIVERSITY,
    at.registry,
    registryAbi,
    "requestAccess",
    [
      2n,
      bit("PUBLIC_INTEREST_RESEARCH"),
      { fieldMask: 0b111110n, rowLevel: false, minCohort: 4, exactTabulations: zeroHash },
      120n * 86_400n,
      "ipfs://valley-growers/terms/northfield-soil",
      "Valley Research Institute",
    ],
    parseEther("0.8"),
  );
  p = await sponsored(4n, "approvalProposal");
  const open = await propose(0, p.actions, p.description);
  for (const [voter, support] of forAll([0, 1, 11, 13, 2], [2])) {
    await send(voter, at.governor, governorAbi, "castVote", [open, support]);
  }
}

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

const round = (x: number, places = 2) => Math.round(x * 10 ** places) / 10 ** places;
const day = (r: () => number, month0: number, months: number) => {
  const d = new Date(Date.UTC(2026, month0 + Math.floor(r() * months), 1 + Math.floor(r() * 28)));
  return d.toISOString().slice(0, 10);
};

/** A member's synthetic records: stable for a member, so a second run stores nothing new. */
export function recordsOf(member: number) {
  const r = random(member * 7919 + 1);
  const farm = `Farm ${member}`;
  const region = REGIONS[member % REGIONS.length];
  const rainfall = 400 + r() * 1200;
  const harvests = Array.from({ length: RECORDS_PER_MEMBER.harvests }, (_, n) => {
    const crop = CROPS[Math.floor(r() * CROPS.length)];
    const base = { maize: 6, wheat: 4, beans: 1.8, coffee: 1.2, sorghum: 3 }[crop]!;
    return {
      recordId: `harvest-${member}-${n}`,
      values: {
        farm,
        region,
        crop,
        hectares: round(0.5 + r() * 40),
        yield_t_per_ha: round(base * (0.6 + r() * 0.8)),
        rainfall_mm: round(rainfall * (0.8 + r() * 0.4), 0),
        organic: member % 3 === 0,
        harvest_date: day(r, 2, 8),
      },
    };
  });
  const soil = Array.from({ length: RECORDS_PER_MEMBER.soil }, (_, n) => ({
    recordId: `soil-${member}-${n}`,
    values: {
      farm,
      region,
      ph: round(5 + r() * 3),
      organic_matter_pct: round(1 + r() * 6),
      nitrogen_ppm: round(10 + r() * 60, 0),
      sampled_on: day(r, 0, 10),
    },
  }));
  return { harvests, soil };
}

async function json(url: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    ...init,
    headers: { "content-type": "application/json", ...(init.headers ?? {}) },
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** Publishes the schemas and has every member sign in (SIWE) and contribute. Idempotent. */
export async function seedGateway(
  gatewayUrl: string,
  siwe: { domain: string; uri: string; chainId: number },
  progress: Progress = () => undefined,
): Promise<number> {
  for (const [id, doc] of [HARVESTS, SOIL].entries()) {
    const res = await json(`${gatewayUrl}/datasets/${id + 1}/schema`, {
      method: "POST",
      body: JSON.stringify(doc),
    });
    if (res.status !== 200)
      throw new Error(`schema ${id + 1}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  let stored = 0;
  for (const [n, i] of MEMBERS.entries()) {
    progress(`contributions: member ${n + 1} of ${MEMBERS.length}`);
    const member = account(i);
    const nonce = await json(`${gatewayUrl}/auth/nonce`);
    const message = createSiweMessage({
      domain: siwe.domain,
      address: member.address,
      statement: "Sign in to the co-op's data gateway.",
      uri: siwe.uri,
      version: "1",
      chainId: siwe.chainId,
      nonce: nonce.body.nonce,
      issuedAt: new Date(),
    });
    const login = await json(`${gatewayUrl}/auth/login`, {
      method: "POST",
      body: JSON.stringify({ message, signature: await member.signMessage({ message }) }),
    });
    if (login.status !== 200)
      throw new Error(
        `sign-in of ${member.address}: ${login.status} ${JSON.stringify(login.body)}`,
      );
    const records = recordsOf(i);
    for (const [datasetId, batch] of [
      [1, records.harvests],
      [2, records.soil],
    ] as const) {
      const res = await json(`${gatewayUrl}/datasets/${datasetId}/records`, {
        method: "POST",
        headers: { authorization: `Bearer ${login.body.token}` },
        body: JSON.stringify({ records: batch }),
      });
      if (res.status !== 200)
        throw new Error(
          `records of ${member.address}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`,
        );
      stored += res.body.stored + res.body.unchanged;
    }
  }
  return stored;
}
