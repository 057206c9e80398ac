// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Data access registry: datasets, partners' access requests, and the grants the co-op votes for.
/// @notice A partner (anyone who is not a member) requests access to a dataset for one purpose, within a scope, for a
/// duration, and pays the fee into escrow. A member sponsors the request into a Governor proposal
/// ({approvalProposal} / {rejectionProposal}); if the vote passes, the timelock approves (the grant, with the same id
/// as the request, is active from then for the duration and the fee goes to the revenue contract) or rejects (the
/// fee becomes refundable). The vote binds to the request's `termsHash`. The guardian can revoke a grant or pause
/// the registry in an emergency, nothing else. The data itself stays off-chain: the co-op's gateway serves it only
/// under an active grant, within its scope, and only from members whose consent covers it.
///
/// Members cannot be partners, when a request is made and again when it is approved: whoever resigns, requests and
/// is re-admitted cannot get their own request approved. The co-op may also vote a grant to its own members
/// ({grantToMembers}): no fee, active at once, recorded with the timelock as partner and `forMembers` set; the
/// gateway lets any current member query under it, with the same privacy and consent rules as any grant.
///
/// The registry also holds the co-op's privacy cap ({privacyCap}), which the gateway enforces on every member's data
/// across all grants and partners.
interface IDataAccessRegistry {
    /// @notice What a grant allows. `fieldMask` has bit `i` set when the dataset's field `i` may be read.
    /// `rowLevel` false means aggregate answers only, over groups of at least `minCohort` members; true means
    /// pseudonymised rows, from result sets covering at least `minCohort` members. `exactTabulations` is zero for
    /// differentially private answers (the default); non-zero, it asks for exact answers to the tabulations the
    /// partner declares, and is the keccak256 of their canonical JSON (protocol/src/canonical.ts): the gateway
    /// accepts a declaration from anyone only if it hashes to this value, and answers exactly only those. Exact
    /// mode is allowed only for aggregate grants, and the vote binds to it through the terms hash.
    struct Scope {
        uint256 fieldMask;
        bool rowLevel;
        uint32 minCohort;
        bytes32 exactTabulations;
    }

    /// @notice Where a request stands. Approved requests are grants; whether a grant is active also depends on
    /// time and pause ({isGrantActive}).
    enum Status {
        None,
        Pending,
        Approved,
        Rejected,
        Withdrawn,
        Revoked
    }

    /// @notice Every term of a request with its state, as returned by {request}. `partnerName` is the partner's own
    /// claim of who it is (shown to members as such). `forMembers` marks a grant to the co-op's own members
    /// ({grantToMembers}); its `partner` is the timelock.
    struct RequestView {
        address partner;
        string partnerName;
        bool forMembers;
        uint256 datasetId;
        uint8 purpose;
        Scope scope;
        uint64 duration;
        string termsURI;
        uint256 fee;
        bytes32 termsHash;
        Status status;
        uint64 start;
        uint64 end;
    }

    /// @notice Dataset `datasetId` was registered by a vote with its schema and its fields, in bit order.
    event DatasetRegistered(
        uint256 indexed datasetId,
        string name,
        string schemaURI,
        bytes32 schemaHash,
        string[] fields
    );

    /// @notice Dataset `datasetId` takes no new requests.
    event DatasetRetired(uint256 indexed datasetId);

    /// @notice `partner`, calling itself `partnerName`, requested access with these terms and paid `fee` into
    /// escrow. For a grant to the members ({grantToMembers}) `partner` is the timelock and `fee` is 0; it is approved
    /// in the same transaction ({RequestApproved}, then {GrantedToMembers}).
    event RequestCreated(
        uint256 indexed requestId,
        address indexed partner,
        uint256 indexed datasetId,
        string partnerName,
        uint8 purpose,
        Scope scope,
        uint64 duration,
        string termsURI,
        uint256 fee,
        bytes32 termsHash
    );

    /// @notice The co-op approved `requestId`: grant `requestId` is active from `start` until `end` (exclusive).
    event RequestApproved(uint256 indexed requestId, address indexed partner, uint64 start, uint64 end);

    /// @notice The co-op voted grant `grantId` to its own members: any current member may query under it.
    event GrantedToMembers(uint256 indexed grantId);

    /// @notice The co-op rejected `requestId`; its fee is refundable to `partner`.
    event RequestRejected(uint256 indexed requestId, address indexed partner);

    /// @notice `partner` withdrew its undecided request `requestId`; its fee is refundable.
    event RequestWithdrawn(uint256 indexed requestId, address indexed partner);

    /// @notice Grant `grantId` was revoked by `by` (the timelock or the guardian) and is never active again.
    event GrantRevoked(uint256 indexed grantId, address indexed by, string reason);

    /// @notice `partner` was paid `amount` of refunds.
    event RefundClaimed(address indexed partner, uint256 amount);

    /// @notice The guardian changed from `oldGuardian` to `newGuardian` (zero: none).
    event GuardianSet(address indexed oldGuardian, address indexed newGuardian);

    /// @notice The minimum fee of a request changed.
    event MinimumFeeSet(uint256 oldMinimumFee, uint256 newMinimumFee);

    /// @notice The longest duration a request may ask for changed.
    event MaxDurationSet(uint64 oldMaxDuration, uint64 newMaxDuration);

    /// @notice The privacy cap changed: at most `epsilonMillionths` / 1,000,000 of privacy loss (ε) per member per
    /// `period` seconds.
    event PrivacyCapSet(uint64 oldEpsilonMillionths, uint64 oldPeriod, uint64 epsilonMillionths, uint64 period);

    /// @notice No dataset `datasetId`.
    error DataAccessRegistryUnknownDataset(uint256 datasetId);

    /// @notice Dataset `datasetId` is retired.
    error DataAccessRegistryDatasetRetired(uint256 datasetId);

    /// @notice A dataset has between 1 and 256 fields.
    error DataAccessRegistryInvalidFieldCount(uint256 fieldCount);

    /// @notice `purpose` is not in the purpose table ({Purposes}).
    error DataAccessRegistryInvalidPurpose(uint8 purpose);

    /// @notice `fieldMask` is empty or names a field the dataset (with `fieldCount` fields) does not have.
    error DataAccessRegistryInvalidFieldMask(uint256 datasetId, uint256 fieldMask, uint256 fieldCount);

    /// @notice `minCohort` is below `minimum` (2 for aggregate-only access, 1 for rows).
    error DataAccessRegistryCohortTooSmall(uint32 minCohort, uint32 minimum);

    /// @notice A grant lasts at least one second.
    error DataAccessRegistryZeroDuration();

    /// @notice `duration` is longer than the co-op allows (`maxDuration`).
    error DataAccessRegistryDurationTooLong(uint64 duration, uint64 maxDuration);

    /// @notice A longest duration of `maxDuration` seconds is above the hard limit `limit` (100 years), which keeps
    /// every grant's end within its uint64.
    error DataAccessRegistryMaxDurationTooLong(uint64 maxDuration, uint64 limit);

    /// @notice A request points to its terms document.
    error DataAccessRegistryEmptyTermsURI();

    /// @notice `fee` is below the minimum fee set by the co-op.
    error DataAccessRegistryFeeTooLow(uint256 fee, uint256 minimumFee);

    /// @notice `account` is a member: members use governance directly and cannot be partners.
    error DataAccessRegistryMemberCannotRequest(address account);

    /// @notice The partner of request `requestId`, `partner`, is a member now: a member's request is not approved.
    error DataAccessRegistryPartnerIsMember(uint256 requestId, address partner);

    /// @notice A partner's name has 1 to `maxLength` bytes; this one has `length`.
    error DataAccessRegistryInvalidPartnerName(uint256 length, uint256 maxLength);

    /// @notice Exact answers (`exactTabulations` non-zero) are for aggregate grants only.
    error DataAccessRegistryExactModeNeedsAggregates();

    /// @notice The privacy cap needs 0 < `epsilonMillionths` <= `maxEpsilonMillionths` and a period from
    /// `minPeriod` to `maxPeriod` seconds.
    error DataAccessRegistryInvalidPrivacyCap(
        uint256 epsilonMillionths,
        uint256 period,
        uint256 maxEpsilonMillionths,
        uint256 minPeriod,
        uint256 maxPeriod
    );

    /// @notice The guardian `guardian` already paused once: until the co-op appoints a guardian again
    /// ({setGuardian}), only the timelock pauses.
    error DataAccessRegistryGuardianPauseUsed(address guardian);

    /// @notice No request `requestId`.
    error DataAccessRegistryUnknownRequest(uint256 requestId);

    /// @notice Request `requestId` is `status`, which does not allow this.
    error DataAccessRegistryUnexpectedStatus(uint256 requestId, Status status);

    /// @notice The vote was for terms `given`, but request `requestId` has terms `expected`.
    error DataAccessRegistryTermsMismatch(uint256 requestId, bytes32 expected, bytes32 given);

    /// @notice Only the partner of request `requestId` may do this; `account` is not.
    error DataAccessRegistryNotPartner(uint256 requestId, address account);

    /// @notice Grant `grantId` ended at `end`; there is nothing left to revoke.
    error DataAccessRegistryGrantExpired(uint256 grantId, uint64 end);

    /// @notice Only the timelock or the guardian may do this; `account` is neither.
    error DataAccessRegistryUnauthorized(address account);

    /// @notice `account` has no refund to claim.
    error DataAccessRegistryNothingToRefund(address account);

    /// @notice Sending `amount` to `account` failed; the refund stays claimable.
    error DataAccessRegistryRefundFailed(address account, uint256 amount);

    /// @notice Registers a dataset whose fields, in this order, are the bits of a grant's field mask. Only the
    /// timelock.
    /// @return datasetId the new dataset's id (dense, from 1).
    function registerDataset(
        string calldata name,
        string calldata schemaURI,
        bytes32 schemaHash,
        string[] calldata fields
    ) external returns (uint256 datasetId);

    /// @notice Stops new requests for `datasetId`. Grants already made stay as they are. Only the timelock.
    function retireDataset(uint256 datasetId) external;

    /// @notice Requests access; `msg.value` is the fee, held in escrow until the co-op decides. The caller must not
    /// be a member. `partnerName` (1 to 64 bytes) is how the partner names itself to the members. Terms are
    /// immutable once requested.
    /// @return requestId the new request's id (dense, from 1); an approved request's grant has the same id.
    function requestAccess(
        uint256 datasetId,
        uint8 purpose,
        Scope calldata scope,
        uint64 duration,
        string calldata termsURI,
        string calldata partnerName
    ) external payable returns (uint256 requestId);

    /// @notice Grants the co-op's own members access to `datasetId` for `purpose` within `scope`, from now for
    /// `duration`, under `termsURI`: no fee, no escrow, approved at once; recorded with the timelock as partner,
    /// the name "Members of the co-op" and `forMembers` set. The same checks as a request (dataset open, purpose,
    /// fields, cohort, exact mode, duration). Only the timelock (a passed vote).
    /// @return grantId the grant's id, in the same sequence as requests.
    function grantToMembers(
        uint256 datasetId,
        uint8 purpose,
        Scope calldata scope,
        uint64 duration,
        string calldata termsURI
    ) external returns (uint256 grantId);

    /// @notice Withdraws the caller's undecided request; its fee becomes refundable.
    function withdrawRequest(uint256 requestId) external;

    /// @notice Pays the caller every refund owed to it.
    function claimRefund() external;

    /// @notice Approves `requestId` with terms `termsHash`: the grant is active from now for its duration and the
    /// fee goes to the revenue contract. Refused if the partner is a member now. Only the timelock (a passed vote).
    function approve(uint256 requestId, bytes32 termsHash) external;

    /// @notice Rejects `requestId` with terms `termsHash`; the fee becomes refundable. Only the timelock.
    function reject(uint256 requestId, bytes32 termsHash) external;

    /// @notice Ends grant `grantId` for good. The timelock or the guardian, at any time before it expires.
    function revoke(uint256 grantId, string calldata reason) external;

    /// @notice Stops new requests and makes every grant inactive until {unpause}. The timelock, or the guardian once
    /// per appointment: after the co-op unpauses, a guardian who paused cannot pause again until it is appointed
    /// again, so a guardian cannot hold the co-op paused against its votes.
    function pause() external;

    /// @notice Lifts a pause. Only the timelock.
    function unpause() external;

    /// @notice Sets the guardian (zero: none), with one pause to use. Only the timelock.
    function setGuardian(address newGuardian) external;

    /// @notice Sets the minimum fee of new requests. Only the timelock.
    function setMinimumFee(uint256 newMinimumFee) external;

    /// @notice Sets the longest duration new requests may ask for, at most 100 years. Only the timelock.
    function setMaxDuration(uint64 newMaxDuration) external;

    /// @notice Sets the privacy cap: at most `epsilonMillionths` / 1,000,000 of privacy loss (ε) for any member's
    /// data per `period` seconds, across every grant and partner. 0 < ε <= {MAX_PRIVACY_EPSILON_MILLIONTHS} / 10^6
    /// (beyond ε = 10 the guarantee says little: e^10 is about 22,000); a period from {MIN_PRIVACY_PERIOD} (1 day)
    /// to {MAX_PRIVACY_PERIOD} (5 years). Only the timelock.
    function setPrivacyCap(uint64 epsilonMillionths, uint64 period) external;

    /// @notice The call a Governor proposal makes to approve `requestId` with its current terms, and a default
    /// description naming the request and its terms hash. Pass them to `propose` as they are (a second proposal
    /// for the same request needs a different description).
    function approvalProposal(
        uint256 requestId
    )
        external
        view
        returns (
            address[] memory targets,
            uint256[] memory values,
            bytes[] memory calldatas,
            string memory description
        );

    /// @notice The same as {approvalProposal}, to reject `requestId`.
    function rejectionProposal(
        uint256 requestId
    )
        external
        view
        returns (
            address[] memory targets,
            uint256[] memory values,
            bytes[] memory calldatas,
            string memory description
        );

    /// @notice Dataset `datasetId`.
    function dataset(
        uint256 datasetId
    )
        external
        view
        returns (string memory name, string memory schemaURI, bytes32 schemaHash, uint256 fieldCount, bool retired);

    /// @notice The fields of `datasetId`, in bit order.
    function datasetFields(uint256 datasetId) external view returns (string[] memory);

    /// @notice Number of datasets registered so far.
    function datasetCount() external view returns (uint256);

    /// @notice Every term and the state of request `requestId`. `start` and `end` are 0 until approval.
    function request(uint256 requestId) external view returns (RequestView memory);

    /// @notice The purpose of request `requestId`.
    function purposeOf(uint256 requestId) external view returns (uint8);

    /// @notice Whether grant `grantId` is approved, not revoked, not expired, and the registry is not paused.
    function isGrantActive(uint256 grantId) external view returns (bool);

    /// @notice The grants (approved requests) of `partner`, oldest first.
    function grantsOf(address partner) external view returns (uint256[] memory);

    /// @notice Number of requests so far; request ids run from 1 to this value.
    function requestCount() external view returns (uint256);

    /// @notice Refund owed to `partner`.
    function refundOf(address partner) external view returns (uint256);

    /// @notice Fees in wei: `received` from partners = `escrowed` (undecided requests) + `refundable` (owed back)
    /// + `refunded` (paid back) + what went to the revenue contract (its {IRevenue-totals} `deposited`).
    function totals() external view returns (uint256 received, uint256 escrowed, uint256 refundable, uint256 refunded);

    /// @notice The guardian, who may revoke grants and pause (zero: none).
    function guardian() external view returns (address);

    /// @notice Whether the guardian may still pause (it has not used its pause since it was appointed).
    function guardianCanPause() external view returns (bool);

    /// @notice The privacy cap: the most privacy loss (ε, in millionths) any member's data may undergo per `period`
    /// seconds, across every grant and partner. The gateway reads it and keeps each member's ledger within it.
    function privacyCap() external view returns (uint64 epsilonMillionths, uint64 period);

    /// @notice The minimum fee of a request.
    function minimumFee() external view returns (uint256);

    /// @notice The longest duration a request may ask for, in seconds.
    function maxDuration() external view returns (uint64);

    /// @notice The revenue contract that receives approved grants' fees.
    function revenue() external view returns (address);
}
