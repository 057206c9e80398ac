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
///
/// Decisions have an order. Every entry (the standing consent; each grant's choice) keeps the time of the decision
/// that set it: the block's time for a direct call, the time the member signed for a relayed signature
/// (`signedAt`). A direct call is always the latest decision. A signature is refused unless it was made after the
/// entry's latest decision (strictly later, so a second signature of the same second cannot undo the first relayed),
/// during the member's current membership, and not in the future. So the entry always holds the member's latest
/// decision of their current membership, whatever order signatures are relayed in, and an old signature — kept by a
/// relayer, or read from a failed relay — can never undo a later withdrawal. Replaying a signature is refused by
/// the same rule; the deadline bounds how long an unrelayed signature stays usable; the EIP-712 domain binds it to
/// this registry on this chain. No nonce is needed.
interface IConsentRegistry {
    /// @notice A member's choice for one grant.
    enum Choice {
        Default,
        OptIn,
        OptOut
    }

    /// @notice `member` set their standing consent to the purposes in `mask`, by a decision made at `decidedAt` (the
    /// block's time for a direct call, the signing time for a relayed signature).
    event ConsentSet(address indexed member, uint256 mask, uint48 decidedAt);

    /// @notice `member` chose `choice` for grant `grantId`, by a decision made at `decidedAt` (as in {ConsentSet}).
    event GrantChoiceSet(address indexed member, uint256 indexed grantId, Choice choice, uint48 decidedAt);

    /// @notice `from`'s membership moved to `to` (a passed vote): `to` holds `from`'s standing consent as it was, and
    /// each per-grant choice `to` has not made itself is `from`'s.
    event ConsentMoved(address indexed from, address indexed to);

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

    /// @notice The signature claims to be made at `signedAt`, after now (`currentTime`).
    error ConsentRegistrySignedInFuture(uint256 signedAt, uint256 currentTime);

    /// @notice `member` was never admitted: nothing they sign can take effect.
    error ConsentRegistryNotMember(address member);

    /// @notice Only the membership contract reports admissions; `account` is not it.
    error ConsentRegistryNotMembership(address account);

    /// @notice The signature was made at `signedAt`, before `member`'s current membership (its decisions count from
    /// `membershipSince`).
    error ConsentRegistrySignedBeforeMembership(address member, uint256 signedAt, uint256 membershipSince);

    /// @notice The signature was made at `signedAt`, not after `member`'s latest decision on this entry, made at
    /// `latestDecisionAt`: a later decision wins.
    error ConsentRegistryOutdatedSignature(address member, uint256 signedAt, uint256 latestDecisionAt);

    /// @notice Sets the caller's standing consent to `mask` (0 withdraws every purpose).
    function setConsent(uint256 mask) external;

    /// @notice Sets the caller's choice for grant (or pending request) `grantId`.
    function setGrantChoice(uint256 grantId, Choice choice) external;

    /// @notice Membership reports that `member` was admitted and that their decisions count from `validFrom`
    /// ({IMembership-unambiguousSince}). Only the membership contract.
    function onAdmitted(address member, uint48 validFrom) external;

    /// @notice Called by the membership contract when `from`'s membership moves to `to` ({IMembership-moveMembership}).
    function onMoved(address from, address to) external;

    /// @notice The account whose membership moved to `member`, zero if none.
    function movedFrom(address member) external view returns (address);

    /// @notice {setConsent} for `member`, who signed
    /// `SetConsent(address member,uint256 mask,uint256 signedAt,uint256 deadline)` (EIP-712, domain "DataCoop
    /// Consent", version "1"; ERC-1271 for smart accounts) at time `signedAt` (a timestamp in seconds, on the
    /// chain's clock). Anyone may relay it until `deadline`. Refused when `signedAt` is in the future, when `member`
    /// was never admitted or signed before their current membership ({membershipValidFrom}), and when their
    /// standing consent was last decided at or after `signedAt`. Relayed while `member` is out of the co-op, it is
    /// stored but never in force.
    function setConsentBySig(
        address member,
        uint256 mask,
        uint256 signedAt,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice {setGrantChoice} for `member`, who signed
    /// `SetGrantChoice(address member,uint256 grantId,uint8 choice,uint256 signedAt,uint256 deadline)`; the order is
    /// that of the member's choice for `grantId`, as in {setConsentBySig}.
    function setGrantChoiceBySig(
        address member,
        uint256 grantId,
        Choice choice,
        uint256 signedAt,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice The purposes `member` consents to now: 0 unless they are a member and set it during their current
    /// membership.
    function consentOf(address member) external view returns (uint256 mask);

    /// @notice `member`'s choice for `grantId` now: Default unless they are a member and chose during their current
    /// membership.
    function grantChoiceOf(address member, uint256 grantId) external view returns (Choice);

    /// @notice What `member` last stored, in force or not, and when it was decided (0: never).
    function storedConsent(address member) external view returns (uint256 mask, uint48 updatedAt);

    /// @notice The first second of `member`'s current (or last) membership as recorded at admission (0: never
    /// admitted): signatures made before it are refused.
    function membershipValidFrom(address member) external view returns (uint48);

    /// @notice The membership contract whose members this registry serves.
    function membership() external view returns (address);

    /// @notice `member`'s stored choice for `grantId`, in force or not, and when it was decided (0: never).
    function storedGrantChoice(address member, uint256 grantId) external view returns (Choice choice, uint48 updatedAt);

    /// @notice Whether `member`'s data may be used for `purpose` under grant `grantId`: they are a member, did not
    /// opt out of the grant, and opted in to it or consent to `purpose`.
    function covers(address member, uint8 purpose, uint256 grantId) external view returns (bool);

    /// @notice {covers} with the grant's own purpose.
    function isCovered(address member, uint256 grantId) external view returns (bool);
}
