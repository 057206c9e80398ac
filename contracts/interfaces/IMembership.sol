// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Co-op membership: one soulbound token and exactly one vote per member.
/// @notice Token ids are member numbers: dense, starting at 1, given to an address on its first admission and
/// kept for life, so a member who leaves and is admitted again gets the same number back. Other contracts use
/// them to index bitmaps.
interface IMembership {
    /// @notice `applicant` asked to join; `uri` points to what they submitted. The dApp turns it into an
    /// admission proposal.
    event MembershipApplied(address indexed applicant, string uri);

    /// @notice `member` was admitted with member number `memberId`.
    event MemberAdmitted(address indexed member, uint256 indexed memberId);

    /// @notice `member` left the co-op, removed by a vote (`resigned` false) or on their own (`resigned` true).
    event MemberLeft(address indexed member, uint256 indexed memberId, bool resigned);

    /// @notice By a passed vote, `from`'s membership (member number `memberId`, its start, consent and unclaimed
    /// shares) moved to the new account `to`; `from` is no longer a member and can never be admitted again.
    event MembershipMoved(address indexed from, address indexed to, uint256 indexed memberId);

    /// @notice The consent registry, told of every admission, was set (once, at deployment).
    event ConsentRegistrySet(address indexed registry);

    /// @notice `account` is already a member.
    error MembershipAlreadyMember(address account);

    /// @notice `account` is not a member.
    error MembershipNotMember(address account);

    /// @notice Membership tokens never move and cannot be approved for moving.
    error MembershipNonTransferable(uint256 memberId);

    /// @notice Each member votes for themselves; delegation is disabled.
    error MembershipDelegationDisabled();

    /// @notice `timepoint` is not in the past: past votes and member counts are asked for past times only (ERC-5805).
    error ERC5805FutureLookup(uint256 timepoint, uint48 clock);

    /// @notice A signed application or resignation reached past its `deadline`.
    error MembershipExpiredSignature(uint256 deadline);

    /// @notice The signature is not `signer`'s (EOA or ERC-1271) for this call and its current nonce.
    error MembershipInvalidSignature(address signer);

    /// @notice A membership moves only to an account that was never a member.
    error MembershipMoveTargetUsed(address account);

    /// @notice `account`'s membership moved to another account; it cannot be admitted again.
    error MembershipMovedAway(address account);

    /// @notice Only the deployer sets the consent registry, once; `account` may not.
    error MembershipConsentRegistryLocked(address account);

    /// @notice `registry` does not serve this membership.
    error MembershipConsentRegistryMismatch(address registry);

    /// @notice Sets the consent registry that each admission is reported to ({IConsentRegistry-onAdmitted}). Only the
    /// deployer, once, while wiring the deployment; no other power.
    function setConsentRegistry(address registry) external;

    /// @notice The consent registry told of admissions (zero until wired).
    function consentRegistry() external view returns (address);

    /// @notice Admits `account` as a member. Only the timelock (a passed vote).
    /// @return memberId the member number of `account`.
    function admit(address account) external returns (uint256 memberId);

    /// @notice Removes `member` from the co-op. Only the timelock (a passed vote).
    function remove(address member) external;

    /// @notice The caller leaves the co-op.
    function resign() external;

    /// @notice Anyone asks to join; emits {MembershipApplied}.
    function applyForMembership(string calldata uri) external;

    /// @notice `applicant` asks to join by an EIP-712 signature `ApplyForMembership(address applicant,string uri,
    /// uint256 nonce,uint256 deadline)` for its current {nonces}; anyone may relay it. Emits {MembershipApplied}.
    function applyForMembershipBySig(
        address applicant,
        string calldata uri,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice `member` leaves the co-op by an EIP-712 signature
    /// `Resign(address member,uint256 nonce,uint256 deadline)` for its current {nonces}; anyone may relay it.
    function resignBySig(address member, uint256 deadline, bytes calldata signature) external;

    /// @notice Moves `from`'s membership to `to`, an account never admitted (a member who lost their phone). Only
    /// the timelock (a passed vote). `to` keeps the member number and the membership's start; the consent registry
    /// moves the standing consent and points per-grant choices to `from`'s; past snapshots count the member once.
    function moveMembership(address from, address to) external;

    /// @notice Whether `account`'s membership moved to another account.
    function hasMovedAway(address account) external view returns (bool);

    /// @notice Whether `account` is a member now.
    function isMember(address account) external view returns (bool);

    /// @notice The member number of `account` (also after it left), 0 if it was never admitted.
    function memberIdOf(address account) external view returns (uint256);

    /// @notice When the current membership of `account` began (timestamp), 0 if it is not a member.
    function memberSince(address account) external view returns (uint256);

    /// @notice The first second from which whatever another contract stamped with a timestamp surely dates from
    /// `account`'s current membership; 0 if it is not a member. It is {memberSince}, except for a returning member:
    /// then the second after, because a stamp from the second of their return may date from before it (their
    /// previous membership, or the time between). The consent registry relies on it so that a member who leaves
    /// never gets their old consent back, whenever they return.
    function unambiguousSince(address account) external view returns (uint256);

    /// @notice `account`'s member number (0 if never admitted) and its vote at the end of second `timepoint` (1 if it
    /// was a member then, else 0), in one call: what a vote or a revenue claim needs. `timepoint` must be in the past.
    function voterAt(address account, uint256 timepoint) external view returns (uint256 memberId, uint256 votes);

    /// @notice Number of members now.
    function memberCount() external view returns (uint256);

    /// @notice Member numbers given so far; every id from 1 to this value has been used.
    function lastMemberId() external view returns (uint256);
}
