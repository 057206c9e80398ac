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
