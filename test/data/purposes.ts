import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { parsePurposes, render } from "../../scripts/generate-purposes.js";
import { ALL_PURPOSES, PURPOSES, PURPOSE_COUNT } from "@datacoop/protocol/purposes.generated";
import {
  DURATION,
  PARTNER_NAME,
  SCOPE,
  TERMS_URI,
  networkHelpers,
  withDataset,
} from "./fixture.js";

const { loadFixture } = networkHelpers;
const SOURCE = "contracts/libraries/Purposes.sol";

describe("Purposes", function () {
  it("the generated table is current", function () {
    const check = spawnSync(process.execPath, ["scripts/generate-purposes.ts", "--check"], {
      encoding: "utf8",
    });
    expect(check.stderr).to.equal("");
    expect(check.status).to.equal(0);
  });

  it("the check fails when the Solidity table changes", async function () {
    const source = await readFile(SOURCE, "utf8");
    const relabelled = source.replace("@custom:label Marketing", "@custom:label Advertising");
    const generated = await readFile("protocol/src/purposes.generated.ts", "utf8");
    expect(await render(parsePurposes(source))).to.equal(generated);
    expect(await render(parsePurposes(relabelled))).to.not.equal(generated);
  });

  it("the generator refuses an incomplete or gapped table", function () {
    const entry = (name: string, bit: number, tags = true) =>
      (tags ? `/// @dev d\n/// @custom:label l\n/// @custom:dpv dpv:X\n` : `/// @dev d\n`) +
      `uint8 internal constant ${name} = ${bit};\n`;
    const count = (n: number) => `/// @dev n\nuint8 internal constant COUNT = ${n};\n`;
    expect(() => parsePurposes(entry("A", 0, false) + count(1))).to.throw("needs @dev");
    expect(() => parsePurposes(entry("A", 0) + entry("B", 2) + count(2))).to.throw("without gaps");
    expect(() => parsePurposes(entry("A", 0) + count(2))).to.throw("COUNT is 2");
    expect(parsePurposes(entry("A", 0) + count(1))).to.deep.equal([
      { bit: 0, key: "A", label: "l", description: "d", dpvTerm: "dpv:X" },
    ]);
  });

  it("the table has the co-op's nine purposes in their bit positions (append-only)", function () {
    expect(PURPOSES.map((p) => [p.bit, p.key, p.dpvTerm])).to.deep.equal([
      [0, "ACADEMIC_RESEARCH", "dpv:AcademicResearch"],
      [1, "PUBLIC_INTEREST_RESEARCH", "dpv:NonCommercialResearch"],
      [2, "MEMBER_BENCHMARKING", "dpv:OptimisationForConsumer"],
      [3, "MEMBER_SERVICE_IMPROVEMENT", "dpv:ServiceOptimisation"],
      [4, "PRODUCT_DEVELOPMENT", "dpv:ResearchAndDevelopment"],
      [5, "MARKETING", "dpv:Marketing"],
      [6, "AI_MODEL_TRAINING", "ai:ModelTraining"],
      [7, "OFFICIAL_STATISTICS", "dpv:ProvideOfficialStatistics"],
      [8, "CREDIT_DECISIONS", "dpv:CreditChecking"],
    ]);
  });

  it("the contracts accept exactly the purposes in the table", async function () {
    const { consent, registry, partner, founders } = await loadFixture(withDataset);
    await consent.connect(founders[0]).setConsent(ALL_PURPOSES);
    await expect(consent.connect(founders[0]).setConsent(1n << BigInt(PURPOSE_COUNT)))
      .to.be.revertedWithCustomError(consent, "ConsentRegistryInvalidMask")
      .withArgs(1n << BigInt(PURPOSE_COUNT));
    await registry
      .connect(partner)
      .requestAccess(1, PURPOSE_COUNT - 1, SCOPE, DURATION, TERMS_URI, PARTNER_NAME);
    await expect(
      registry
        .connect(partner)
        .requestAccess(1, PURPOSE_COUNT, SCOPE, DURATION, TERMS_URI, PARTNER_NAME),
    )
      .to.be.revertedWithCustomError(registry, "DataAccessRegistryInvalidPurpose")
      .withArgs(PURPOSE_COUNT);
  });
});
