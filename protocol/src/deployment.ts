/**
 * The deployment record written by `scripts/deploy.ts`: chain id, first block to index, and the address of
 * every contract in the table of contracts.ts. Reading the file is left to each user (the server, the
 * auditor, the scripts), which know what to say when it is missing.
 */
import { getAddress, isAddress } from "viem";
import { z } from "zod";
import { ACCOUNT_DEPLOYMENT_NAMES, CONTRACT_NAMES, type ContractName } from "./contracts.ts";

const address = z
  .string()
  .refine((v) => isAddress(v, { strict: false }), "not an address")
  .transform((v) => getAddress(v));

export const deploymentSchema = z.object({
  network: z.string(),
  chainId: z.number().int().positive(),
  startBlock: z.number().int().nonnegative(),
  contracts: z.object(
    Object.fromEntries(CONTRACT_NAMES.map((name) => [name, address])) as Record<
      ContractName,
      typeof address
    >,
  ),
  /** Passkey accounts' factory and verifier (contracts.ts ACCOUNT_CONTRACTS); absent in records made before them. */
  accounts: z
    .object(
      Object.fromEntries(ACCOUNT_DEPLOYMENT_NAMES.map((name) => [name, address])) as Record<
        (typeof ACCOUNT_DEPLOYMENT_NAMES)[number],
        typeof address
      >,
    )
    .optional(),
});

export type Deployment = z.infer<typeof deploymentSchema>;

/** Parses a deployment record's JSON text; `source` (a file name) names it in the error. */
export function parseDeployment(text: string, source: string): Deployment {
  const parsed = deploymentSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`The deployment ${source} is not valid: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
