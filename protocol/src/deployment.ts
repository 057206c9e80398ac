/** The deployment file written by `scripts/deploy.ts`: chain id, first block to index, addresses. */
import { readFile } from "node:fs/promises";
import { getAddress, isAddress, type Address } from "viem";
import { z } from "zod";

const address = z
  .string()
  .refine((v) => isAddress(v, { strict: false }), "not an address")
  .transform((v) => getAddress(v) as Address);

export const deploymentSchema = z.object({
  network: z.string(),
  chainId: z.number().int().positive(),
  startBlock: z.number().int().nonnegative(),
  contracts: z.object({
    timelock: address,
    membership: address,
    governor: address,
    registry: address,
    consent: address,
    revenue: address,
    accessLog: address,
  }),
});

export type Deployment = z.infer<typeof deploymentSchema>;
export type ContractName = keyof Deployment["contracts"];

export async function loadDeployment(file: string): Promise<Deployment> {
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      error.code === "ENOENT"
        ? `No deployment at ${file}: deploy the contracts first (npm start does it for a local chain), or point DEPLOYMENT at the file.`
        : `Cannot read the deployment ${file}: ${error.message}`,
    );
  });
  const parsed = deploymentSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`The deployment ${file} is not valid: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
