// ESLint with typescript-eslint's type-aware rules over every TypeScript file of the repository.
// `npm run lint:ts` runs it (part of `npm run lint`); `npx eslint --fix` applies the safe fixes.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Test-framework calls whose returned promise the framework itself awaits: node:test's
// describe/it/test/suite and their hooks, Vitest's the same. Leaving them un-awaited is the
// frameworks' documented use, so no-floating-promises must not flag them.
const testCalls = ["describe", "it", "test", "suite", "before", "after", "beforeEach", "afterEach"];
const knownSafeCalls = [
  ...testCalls.map((name) => ({ from: "package", package: "node:test", name })),
  ...testCalls.map((name) => ({ from: "package", package: "vitest", name })),
];

// Every TypeScript project of the tree; each file is checked with the first one that includes it.
const projects = [
  "./tsconfig.json",
  "./protocol/tsconfig.json",
  "./server/tsconfig.json",
  "./auditor/tsconfig.json",
  "./web/tsconfig.json",
];

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/",
      "artifacts/",
      "cache/",
      "types/",
      "coverage/",
      "**/dist/",
      "ignition/deployments/",
      "bench/results/",
      "web/test-results/",
      // Written by scripts/generate-*.ts from the compiler and the server's schemas; `npm run
      // lint:generated` checks they are current, and their generator is linted instead.
      "**/*.generated.ts",
    ],
  },
  {
    files: ["**/*.{ts,tsx,mts,cts}"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        project: projects,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-floating-promises": [
        "error",
        { allowForKnownSafeCalls: knownSafeCalls },
      ],
      // `let` for a binding read (by a shutdown handler) before its one assignment is right.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // Off: Prettier owns the layout and breaks `x\n["f(uint256)"](...)` chains this way.
      "no-unexpected-multiline": "off",
      // Off: an async function without `await` is how this code implements a Promise-returning
      // interface (ChainView, wagmi connectors, test doubles); dropping `async` would turn its
      // throws into synchronous ones, and adding `await` would be noise.
      "@typescript-eslint/require-await": "off",
      // `_`-prefixed names are deliberate: rest-destructuring to omit a field, unused parameters.
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // The audit's checks word their findings with decoded event arguments (addresses, amounts,
    // ids), which the generic decoder in auditor/src/scan.ts types as `unknown`.
    files: ["auditor/src/checks/**"],
    rules: { "@typescript-eslint/restrict-template-expressions": "off" },
  },
  {
    // Tests, benchmarks, end-to-end runs and the demo read HTTP bodies and logs as untyped JSON
    // and assert on them field by field; the assertions are the check, so `any` there is honest
    // and the no-unsafe-* family would only add casts. They also destructure Hardhat's
    // `networkHelpers`, whose functions take no `this` (unbound-method).
    files: ["**/test/**", "web/e2e/**", "bench/**", "scripts/demo.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
  {
    // This file and any other plain JavaScript: no type information, so no type-aware rules.
    files: ["**/*.{js,mjs,cjs}"],
    extends: [js.configs.recommended, tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { console: "readonly", process: "readonly" } },
  },
);
