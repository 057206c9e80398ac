// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Purposes
/// @notice The co-op's data-use purposes, one bit each, after the W3C Data Privacy Vocabulary (DPV). A purpose
/// mask has bit `p` set when purpose `p` is included. The bit positions are part of the on-chain interface:
/// consents and grants store them, so a position is never reused or renumbered; new purposes take the next bit.
/// @dev This file is the only table of purposes: `scripts/generate-purposes.ts` reads each constant with its
/// description, label and DPV term (the tags above the constant) and writes `protocol/src/purposes.generated.ts` for
/// the gateway and the dApp.
library Purposes {
    /// @dev Research by universities and research institutes, carried out in an academic context.
    /// @custom:label Academic research
    /// @custom:dpv dpv:AcademicResearch
    uint8 internal constant ACADEMIC_RESEARCH = 0;

    /// @dev Non-commercial research in the public interest, including public-health and medical research.
    /// @custom:label Public-interest and health research
    /// @custom:dpv dpv:NonCommercialResearch
    uint8 internal constant PUBLIC_INTEREST_RESEARCH = 1;

    /// @dev Comparing a member's figures with those of their peers, as a service to the members.
    /// @custom:label Benchmarking for members
    /// @custom:dpv dpv:OptimisationForConsumer
    uint8 internal constant MEMBER_BENCHMARKING = 2;

    /// @dev Improving the services the co-op provides to its members.
    /// @custom:label Service improvement for members
    /// @custom:dpv dpv:ServiceOptimisation
    uint8 internal constant MEMBER_SERVICE_IMPROVEMENT = 3;

    /// @dev Research and development of new products or services by a partner.
    /// @custom:label Product development
    /// @custom:dpv dpv:ResearchAndDevelopment
    uint8 internal constant PRODUCT_DEVELOPMENT = 4;

    /// @dev Marketing, advertising and market research.
    /// @custom:label Marketing
    /// @custom:dpv dpv:Marketing
    uint8 internal constant MARKETING = 5;

    /// @dev Training, fine-tuning or evaluating machine-learning and AI models.
    /// @custom:label AI model training
    /// @custom:dpv ai:ModelTraining
    uint8 internal constant AI_MODEL_TRAINING = 6;

    /// @dev Producing official statistics for a public statistical authority.
    /// @custom:label Official statistics
    /// @custom:dpv dpv:ProvideOfficialStatistics
    uint8 internal constant OFFICIAL_STATISTICS = 7;

    /// @dev Deciding on credit: assessing creditworthiness for loans, savings-group credit or trade credit, for
    /// example a lender reading a savings group's repayment history or a buyer offering farmers input credit.
    /// @custom:label Credit decisions
    /// @custom:dpv dpv:CreditChecking
    uint8 internal constant CREDIT_DECISIONS = 8;

    /// @dev Number of purposes; every valid purpose is below it.
    uint8 internal constant COUNT = 9;

    /// @dev Mask with every purpose set.
    uint256 internal constant ALL = (1 << COUNT) - 1;

    /// @dev Whether `purpose` is one of the purposes above.
    function isValid(uint8 purpose) internal pure returns (bool) {
        return purpose < COUNT;
    }

    /// @dev Whether `mask` sets only bits of purposes above.
    function isValidMask(uint256 mask) internal pure returns (bool) {
        return mask & ~ALL == 0;
    }

    /// @dev Whether `mask` includes `purpose`.
    function includes(uint256 mask, uint8 purpose) internal pure returns (bool) {
        return (mask >> purpose) & 1 == 1;
    }
}
