/**
 * A minimal contract account for the server's tests of ERC-1271 and ERC-6492: an account whose
 * `isValidSignature` accepts its owner key's ECDSA signature of the hash, made at a counterfactual address
 * by a CREATE2 factory. It stands for any contract account (a passkey account judges a WebAuthn assertion
 * the same way, through the same two standards); the server only ever asks the chain. Compiled here with
 * solcjs (the `solc` package the contracts use), deployed on the test's real Hardhat node.
 */
import { createRequire } from "node:module";
import {
  encodeDeployData,
  encodeFunctionData,
  getContractAddress,
  serializeErc6492Signature,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
  type WalletClient,
} from "viem";

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;
contract OwnedAccount {
  address public immutable owner;
  constructor(address o) { owner = o; }
  function isValidSignature(bytes32 hash, bytes calldata sig) external view returns (bytes4) {
    if (sig.length != 65) return 0xffffffff;
    bytes32 r; bytes32 s; uint8 v;
    assembly {
      r := calldataload(sig.offset)
      s := calldataload(add(sig.offset, 32))
      v := byte(0, calldataload(add(sig.offset, 64)))
    }
    address signer = ecrecover(hash, v, r, s);
    return signer != address(0) && signer == owner ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
  }
}
contract OwnedAccountFactory {
  function createAccount(address o, bytes32 salt) external returns (address) {
    return address(new OwnedAccount{salt: salt}(o));
  }
}
`;

interface Compiled {
  abi: Abi;
  evm: { bytecode: { object: string } };
}

function compile(): Record<string, Compiled> {
  const solc = createRequire(import.meta.url)("solc") as { compile(input: string): string };
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: "Solidity",
        sources: { "OwnedAccount.sol": { content: SOURCE } },
        settings: { outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
      }),
    ),
  ) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, Compiled>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  return output.contracts["OwnedAccount.sol"];
}

export interface OwnedAccounts {
  factory: Address;
  /** The counterfactual address of `owner`'s account (salt 0 unless given). */
  addressOf(owner: Address, salt?: Hex): Address;
  /** The factory call that deploys it: the ERC-6492 wrapper's data. */
  createCalldata(owner: Address, salt?: Hex): Hex;
  /** Wraps an owner's signature for the account not deployed yet (ERC-6492). */
  wrap(owner: Address, signature: Hex, salt?: Hex): Hex;
  deploy(owner: Address, salt?: Hex): Promise<Address>;
}

const ZERO_SALT: Hex = `0x${"00".repeat(32)}`;

export async function deployOwnedAccounts(
  publicClient: PublicClient,
  wallet: WalletClient,
): Promise<OwnedAccounts> {
  const { OwnedAccount, OwnedAccountFactory } = compile();
  const account = wallet.account!;
  const hash = await wallet.deployContract({
    abi: OwnedAccountFactory.abi,
    bytecode: `0x${OwnedAccountFactory.evm.bytecode.object}`,
    account,
    chain: wallet.chain,
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  const factory = receipt.contractAddress!;
  const createCalldata = (owner: Address, salt = ZERO_SALT) =>
    encodeFunctionData({
      abi: OwnedAccountFactory.abi,
      functionName: "createAccount",
      args: [owner, salt],
    });
  const addressOf = (owner: Address, salt = ZERO_SALT) =>
    getContractAddress({
      opcode: "CREATE2",
      from: factory,
      salt,
      bytecode: encodeDeployData({
        abi: OwnedAccount.abi,
        bytecode: `0x${OwnedAccount.evm.bytecode.object}`,
        args: [owner],
      }),
    });
  return {
    factory,
    addressOf,
    createCalldata,
    wrap: (owner, signature, salt) =>
      serializeErc6492Signature({
        address: factory,
        data: createCalldata(owner, salt),
        signature,
      }),
    async deploy(owner, salt) {
      const tx = await wallet.sendTransaction({
        to: factory,
        data: createCalldata(owner, salt),
        account,
        chain: wallet.chain,
      });
      await publicClient.waitForTransactionReceipt({ hash: tx });
      return addressOf(owner, salt);
    },
  };
}
