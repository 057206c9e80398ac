// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Consent registry: what each member allows their data to be used for.
/// @notice Each member keeps a standing consent, a mask of purposes ({Purposes}; nothing until they opt in), and may
/// choose per grant: Default (follow the standing consent), OptIn (include me in this grant) or OptOut (never for
/// this grant). Only the member changes their consent, directly or by an EIP-712 signature that anyone may relay.
/// Giving and withdrawing take the same single call, and the gateway applies the change to every later query.
/// Consent given before the current membership began is not in force: a member who leaves has no consent, and
/// re-joining does not revive what they chose before, even within the same second (a returning member's choices
/// count from the second after their return; see {IMembership-unambiguousSince}).
interface IConsentRegistry {
    /// @notice A member's choice for one grant.
    enum Choice {
        Default,
        OptIn,
        OptOut
    }

    /// @notice `member` set their standing consent to the purposes in `mask`.
    event ConsentSet(address indexed member, uint256 mask);

    /// @notice `member` chose `choice` for grant `grantId`.
    event GrantChoiceSet(address indexed member, uint256 indexed grantId, Choice choice);

    /// @notice `mask` has bits outside the purpose table.
    error ConsentRegistryInvalidMask(uint256 mask);

    /// @notice `purpose` is not in the purpose table.
    error ConsentRegistryInvalidPurpose(uint8 purpose);

    /// @notice No grant (or request) `grantId` exists yet.
    error ConsentRegistryUnknownGrant(uint256 grantId);

    /// @notice The signature expired at `deadline`.
    error ConsentRegistryExpiredSignature(uint256 deadline);

    /// @notice The signature is not `member`'s for this change.
    error ConsentRegistryInvalidSignature(address member);

    /// @notice Sets the caller's standing consent to `mask` (0 withdraws every purpose).
    function setConsent(uint256 mask) external;

    /// @notice Sets the caller's choice for grant (or pending request) `grantId`.
    function setGrantChoice(uint256 grantId, Choice choice) external;

    /// @notice {setConsent} for `member`, who signed
    /// `SetConsent(address member,uint256 mask,uint256 nonce,uint256 deadline)`. `nonce` is a keyed nonce: the
    /// key (upper 192 bits) is chosen by the signer, the sequence (lower 64 bits) is {nonces}`(member, key)`, so
    /// signed changes with different keys do not invalidate each other. Anyone may relay it.
    function setConsentBySig(
        address member,
        uint256 mask,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice {setGrantChoice} for `member`, who signed
    /// `SetGrantChoice(address member,uint256 grantId,uint8 choice,uint256 nonce,uint256 deadline)`; nonces as in
    /// {setConsentBySig}.
    function setGrantChoiceBySig(
        address member,
        uint256 grantId,
        Choice choice,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice The purposes `member` consents to now: 0 unless they are a member and set it during their current
    /// membership.
    function consentOf(address member) external view returns (uint256 mask);

    /// @notice `member`'s choice for `grantId` now: Default unless they are a member and chose during their current
    /// membership.
    function grantChoiceOf(address member, uint256 grantId) external view returns (Choice);

    /// @notice What `member` last stored, in force or not, and when (0: never).
    function storedConsent(address member) external view returns (uint256 mask, uint48 updatedAt);

    /// @notice Whether `member`'s data may be used for `purpose` under grant `grantId`: they are a member, did not
    /// opt out of the grant, and opted in to it or consent to `purpose`.
    function covers(address member, uint8 purpose, uint256 grantId) external view returns (bool);

    /// @notice {covers} with the grant's own purpose.
    function isCovered(address member, uint256 grantId) external view returns (bool);
}
