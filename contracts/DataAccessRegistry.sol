// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {LowLevelCall} from "@openzeppelin/contracts/utils/LowLevelCall.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {Purposes} from "./libraries/Purposes.sol";
import {IDataAccessRegistry} from "./interfaces/IDataAccessRegistry.sol";
import {IMembership} from "./interfaces/IMembership.sol";
import {IRevenue} from "./interfaces/IRevenue.sol";

/// @title DataAccessRegistry
/// @notice Datasets, partners' access requests with their fees in escrow, and the grants the co-op approves.
/// @dev The owner is the co-op's timelock: registering datasets, approving, rejecting and every setting need a
/// passed vote. The guardian may only revoke and pause. Members cannot be partners, so nobody votes on their own
/// request and sponsoring stays a member's act on a partner's terms; whoever wants both roles needs two
/// addresses, which the co-op sees when it votes.
///
/// A request's `termsHash` is
/// `keccak256(abi.encode(TERMS_TYPEHASH, chainid, registry, requestId, partner, keccak256(partnerName), datasetId,
/// purpose, fieldMask, rowLevel, minCohort, exactTabulations, duration, keccak256(termsURI), fee))`, so a vote binds
/// every term of one request on one registry and chain, the partner's name and exact mode included.
contract DataAccessRegistry is IDataAccessRegistry, Ownable, Pausable, ReentrancyGuardTransient {
    using SafeCast for uint256;
    using Strings for uint256;

    struct Dataset {
        string name;
        string schemaURI;
        bytes32 schemaHash;
        uint16 fieldCount;
        bool retired;
    }

    /// @dev Three packed slots of terms and state, then the terms hash, the exact tabulations, the terms URI and the
    /// partner's name. `end` is derived.
    struct Request {
        address partner;
        uint64 duration;
        uint32 datasetId;
        uint256 fieldMask;
        uint128 fee;
        uint48 start;
        uint8 purpose;
        Status status;
        bool rowLevel;
        uint32 minCohort;
        bool forMembers;
        bytes32 termsHash;
        bytes32 exactTabulations;
        string termsURI;
        string partnerName;
    }

    /// @dev Fees in wei; `received == escrowed + refundable + refunded + (deposited into the revenue contract)`.
    struct Totals {
        uint128 received;
        uint128 refunded;
        uint128 escrowed;
        uint128 refundable;
    }

    /// @notice Type of the terms hash (see the contract's description).
    bytes32 public constant TERMS_TYPEHASH = keccak256(
        "AccessTerms(uint256 chainId,address registry,uint256 requestId,address partner,bytes32 partnerNameHash,"
        "uint256 datasetId,uint8 purpose,uint256 fieldMask,bool rowLevel,uint32 minCohort,bytes32 exactTabulations,"
        "uint64 duration,bytes32 termsURIHash,uint256 fee)"
    );

    /// @notice The longest partner name, in bytes.
    uint256 public constant MAX_PARTNER_NAME = 64;
    /// @notice The name a grant to the members is recorded with.
    string public constant MEMBERS_NAME = "Members of the co-op";
    /// @notice The highest privacy cap: ε = 10 per period, in millionths.
    uint64 public constant MAX_PRIVACY_EPSILON_MILLIONTHS = 10_000_000;
    /// @notice The shortest privacy period: one day.
    uint64 public constant MIN_PRIVACY_PERIOD = 1 days;
    /// @notice The longest privacy period: five years.
    uint64 public constant MAX_PRIVACY_PERIOD = 5 * 365 days;

    /// @dev An aggregate over one member is that member's row.
    uint32 private constant _MIN_AGGREGATE_COHORT = 2;
    uint32 private constant _MIN_ROW_COHORT = 1;
    uint256 private constant _MAX_FIELDS = 256;
    /// @dev Hard limit on `maxDuration`: a uint48 start plus any allowed duration then fits the uint64 end.
    uint64 private constant _DURATION_LIMIT = 100 * 365 days;

    IMembership private immutable _membership;
    IRevenue private immutable _revenue;

    mapping(uint256 datasetId => Dataset) private _datasets;
    mapping(uint256 datasetId => string[]) private _fields;
    mapping(uint256 requestId => Request) private _requests;
    mapping(address partner => uint256[] grantIds) private _grants;
    mapping(address partner => uint256 amount) private _refunds;
    Totals private _totals;
    uint256 private _datasetCount;
    uint256 private _requestCount;
    uint256 private _minimumFee;
    address private _guardian;
    uint64 private _maxDuration;
    uint64 private _privacyEpsilon;
    uint64 private _privacyPeriod;
    bool private _guardianPauseUsed;

    modifier onlyOwnerOrGuardian() {
        if (msg.sender != owner() && msg.sender != _guardian) revert DataAccessRegistryUnauthorized(msg.sender);
        _;
    }

    constructor(
        address timelock,
        IMembership membership,
        IRevenue revenue_,
        address initialGuardian,
        uint256 initialMinimumFee,
        uint64 initialMaxDuration,
        uint64 initialPrivacyEpsilonMillionths,
        uint64 initialPrivacyPeriod
    ) Ownable(timelock) {
        _membership = membership;
        _revenue = revenue_;
        _setGuardian(initialGuardian);
        _setMinimumFee(initialMinimumFee);
        _setMaxDuration(initialMaxDuration);
        _setPrivacyCap(initialPrivacyEpsilonMillionths, initialPrivacyPeriod);
    }

    /// @inheritdoc IDataAccessRegistry
    function registerDataset(
        string calldata name,
        string calldata schemaURI,
        bytes32 schemaHash,
        string[] calldata fields
    ) external onlyOwner returns (uint256 datasetId) {
        uint256 fieldCount = fields.length;
        if (fieldCount == 0 || fieldCount > _MAX_FIELDS) revert DataAccessRegistryInvalidFieldCount(fieldCount);
        datasetId = ++_datasetCount;
        // Keeps every id within the uint32 a request stores.
        datasetId.toUint32();
        _datasets[datasetId] = Dataset({
            name: name,
            schemaURI: schemaURI,
            schemaHash: schemaHash,
            fieldCount: uint16(fieldCount),
            retired: false
        });
        string[] storage list = _fields[datasetId];
        for (uint256 i = 0; i < fieldCount; ++i) {
            list.push(fields[i]);
        }
        emit DatasetRegistered(datasetId, name, schemaURI, schemaHash, fields);
    }

    /// @inheritdoc IDataAccessRegistry
    function retireDataset(uint256 datasetId) external onlyOwner {
        _requireOpenDataset(datasetId).retired = true;
        emit DatasetRetired(datasetId);
    }

    /// @inheritdoc IDataAccessRegistry
    function requestAccess(
        uint256 datasetId,
        uint8 purpose,
        Scope calldata scope,
        uint64 duration,
        string calldata termsURI,
        string calldata partnerName
    ) external payable whenNotPaused returns (uint256 requestId) {
        if (_membership.isMember(msg.sender)) revert DataAccessRegistryMemberCannotRequest(msg.sender);
        uint256 nameLength = bytes(partnerName).length;
        if (nameLength == 0 || nameLength > MAX_PARTNER_NAME) {
            revert DataAccessRegistryInvalidPartnerName(nameLength, MAX_PARTNER_NAME);
        }
        _checkTerms(datasetId, purpose, scope, duration, termsURI);
        if (msg.value < _minimumFee) revert DataAccessRegistryFeeTooLow(msg.value, _minimumFee);
        uint128 fee = msg.value.toUint128();
        Request storage r;
        (requestId, r) = _record(msg.sender, partnerName, datasetId, purpose, scope, duration, termsURI, fee);

        Totals memory sums = _totals;
        sums.received += fee;
        sums.escrowed += fee;
        _totals = sums;
    }

    /// @inheritdoc IDataAccessRegistry
    function grantToMembers(
        uint256 datasetId,
        uint8 purpose,
        Scope calldata scope,
        uint64 duration,
        string calldata termsURI
    ) external onlyOwner returns (uint256 grantId) {
        _checkTerms(datasetId, purpose, scope, duration, termsURI);
        address members = owner();
        Request storage r;
        (grantId, r) = _record(members, MEMBERS_NAME, datasetId, purpose, scope, duration, termsURI, 0);
        uint48 start = Time.timestamp();
        r.status = Status.Approved;
        r.start = start;
        r.forMembers = true;
        _grants[members].push(grantId);
        emit RequestApproved(grantId, members, start, start + duration);
        emit GrantedToMembers(grantId);
    }

    /// @inheritdoc IDataAccessRegistry
    function withdrawRequest(uint256 requestId) external {
        Request storage r = _requireStatus(requestId, Status.Pending);
        if (msg.sender != r.partner) revert DataAccessRegistryNotPartner(requestId, msg.sender);
        r.status = Status.Withdrawn;
        _makeRefundable(msg.sender, r.fee);
        emit RequestWithdrawn(requestId, msg.sender);
    }

    /// @inheritdoc IDataAccessRegistry
    function claimRefund() external nonReentrant {
        uint256 amount = _refunds[msg.sender];
        if (amount == 0) revert DataAccessRegistryNothingToRefund(msg.sender);
        _refunds[msg.sender] = 0;
        Totals memory sums = _totals;
        // Fits: every refund was a uint128 fee, and refundable is their sum.
        sums.refundable -= uint128(amount);
        sums.refunded += uint128(amount);
        _totals = sums;
        emit RefundClaimed(msg.sender, amount);
        // A receiver that reverts only blocks its own refund; return data is not copied.
        if (!LowLevelCall.callNoReturn(msg.sender, amount, "")) {
            revert DataAccessRegistryRefundFailed(msg.sender, amount);
        }
    }

    /// @inheritdoc IDataAccessRegistry
    function approve(uint256 requestId, bytes32 termsHash) external onlyOwner {
        Request storage r = _requireDecidable(requestId, termsHash);
        uint256 datasetId = r.datasetId;
        if (_datasets[datasetId].retired) revert DataAccessRegistryDatasetRetired(datasetId);
        address partner = r.partner;
        // Checked again here: a partner who became a member since requesting must not vote its own request through.
        if (_membership.isMember(partner)) revert DataAccessRegistryPartnerIsMember(requestId, partner);
        uint128 fee = r.fee;
        uint48 start = Time.timestamp();
        r.status = Status.Approved;
        r.start = start;
        _grants[partner].push(requestId);
        _totals.escrowed -= fee;
        emit RequestApproved(requestId, partner, start, start + r.duration);
        if (fee != 0) _revenue.deposit{value: fee}(requestId);
    }

    /// @inheritdoc IDataAccessRegistry
    function reject(uint256 requestId, bytes32 termsHash) external onlyOwner {
        Request storage r = _requireDecidable(requestId, termsHash);
        address partner = r.partner;
        r.status = Status.Rejected;
        _makeRefundable(partner, r.fee);
        emit RequestRejected(requestId, partner);
    }

    /// @inheritdoc IDataAccessRegistry
    function revoke(uint256 grantId, string calldata reason) external onlyOwnerOrGuardian {
        Request storage r = _requireStatus(grantId, Status.Approved);
        uint64 end = uint64(r.start) + r.duration;
        if (block.timestamp >= end) revert DataAccessRegistryGrantExpired(grantId, end);
        r.status = Status.Revoked;
        emit GrantRevoked(grantId, msg.sender, reason);
    }

    /// @inheritdoc IDataAccessRegistry
    function pause() external onlyOwnerOrGuardian {
        if (msg.sender != owner()) {
            if (_guardianPauseUsed) revert DataAccessRegistryGuardianPauseUsed(msg.sender);
            _guardianPauseUsed = true;
        }
        _pause();
    }

    /// @inheritdoc IDataAccessRegistry
    function unpause() external onlyOwner {
        _unpause();
    }

    /// @inheritdoc IDataAccessRegistry
    function setGuardian(address newGuardian) external onlyOwner {
        _setGuardian(newGuardian);
    }

    /// @inheritdoc IDataAccessRegistry
    function setMinimumFee(uint256 newMinimumFee) external onlyOwner {
        _setMinimumFee(newMinimumFee);
    }

    /// @inheritdoc IDataAccessRegistry
    function setMaxDuration(uint64 newMaxDuration) external onlyOwner {
        _setMaxDuration(newMaxDuration);
    }

    /// @inheritdoc IDataAccessRegistry
    function setPrivacyCap(uint64 epsilonMillionths, uint64 period) external onlyOwner {
        _setPrivacyCap(epsilonMillionths, period);
    }

    /// @inheritdoc IDataAccessRegistry
    function approvalProposal(
        uint256 requestId
    )
        external
        view
        returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas, string memory description)
    {
        Request storage r = _requireStatus(requestId, Status.Pending);
        (targets, values, calldatas) = _proposalCall(abi.encodeCall(this.approve, (requestId, r.termsHash)));
        description = string.concat(
            "# Approve data access request ",
            requestId.toString(),
            "\n\nGrant partner ",
            r.partnerName,
            " (",
            Strings.toChecksumHexString(r.partner),
            ")",
            " access to dataset ",
            uint256(r.datasetId).toString(),
            " for purpose ",
            uint256(r.purpose).toString(),
            ": ",
            _scopeInWords(r),
            _closingInWords(r)
        );
    }

    /// @inheritdoc IDataAccessRegistry
    function rejectionProposal(
        uint256 requestId
    )
        external
        view
        returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas, string memory description)
    {
        Request storage r = _requireStatus(requestId, Status.Pending);
        (targets, values, calldatas) = _proposalCall(abi.encodeCall(this.reject, (requestId, r.termsHash)));
        description = string.concat(
            "# Reject data access request ",
            requestId.toString(),
            "\n\nRefuse partner ",
            r.partnerName,
            " (",
            Strings.toChecksumHexString(r.partner),
            ")",
            " access to dataset ",
            uint256(r.datasetId).toString(),
            " for purpose ",
            uint256(r.purpose).toString(),
            "; the fee of ",
            uint256(r.fee).toString(),
            " wei is refunded.\n\nTerms hash: ",
            uint256(r.termsHash).toHexString(32)
        );
    }

    /// @inheritdoc IDataAccessRegistry
    function dataset(
        uint256 datasetId
    )
        external
        view
        returns (string memory name, string memory schemaURI, bytes32 schemaHash, uint256 fieldCount, bool retired)
    {
        Dataset storage ds = _requireDataset(datasetId);
        return (ds.name, ds.schemaURI, ds.schemaHash, ds.fieldCount, ds.retired);
    }

    /// @inheritdoc IDataAccessRegistry
    function datasetFields(uint256 datasetId) external view returns (string[] memory) {
        _requireDataset(datasetId);
        return _fields[datasetId];
    }

    /// @inheritdoc IDataAccessRegistry
    function datasetCount() external view returns (uint256) {
        return _datasetCount;
    }

    /// @inheritdoc IDataAccessRegistry
    function request(uint256 requestId) external view returns (RequestView memory) {
        Request storage r = _requireRequest(requestId);
        return
            RequestView({
                partner: r.partner,
                partnerName: r.partnerName,
                forMembers: r.forMembers,
                datasetId: r.datasetId,
                purpose: r.purpose,
                scope: Scope({
                    fieldMask: r.fieldMask,
                    rowLevel: r.rowLevel,
                    minCohort: r.minCohort,
                    exactTabulations: r.exactTabulations
                }),
                duration: r.duration,
                termsURI: r.termsURI,
                fee: r.fee,
                termsHash: r.termsHash,
                status: r.status,
                start: r.start,
                end: r.start == 0 ? 0 : uint64(r.start) + r.duration
            });
    }

    /// @inheritdoc IDataAccessRegistry
    function purposeOf(uint256 requestId) external view returns (uint8) {
        return _requireRequest(requestId).purpose;
    }

    /// @inheritdoc IDataAccessRegistry
    function isGrantActive(uint256 grantId) external view returns (bool) {
        Request storage r = _requests[grantId];
        return !paused() && r.status == Status.Approved && block.timestamp < uint64(r.start) + r.duration;
    }

    /// @inheritdoc IDataAccessRegistry
    function grantsOf(address partner) external view returns (uint256[] memory) {
        return _grants[partner];
    }

    /// @inheritdoc IDataAccessRegistry
    function requestCount() external view returns (uint256) {
        return _requestCount;
    }

    /// @inheritdoc IDataAccessRegistry
    function refundOf(address partner) external view returns (uint256) {
        return _refunds[partner];
    }

    /// @inheritdoc IDataAccessRegistry
    function totals() external view returns (uint256 received, uint256 escrowed, uint256 refundable, uint256 refunded) {
        Totals memory t = _totals;
        return (t.received, t.escrowed, t.refundable, t.refunded);
    }

    /// @inheritdoc IDataAccessRegistry
    function guardian() external view returns (address) {
        return _guardian;
    }

    /// @inheritdoc IDataAccessRegistry
    function guardianCanPause() external view returns (bool) {
        return _guardian != address(0) && !_guardianPauseUsed;
    }

    /// @inheritdoc IDataAccessRegistry
    function privacyCap() external view returns (uint64 epsilonMillionths, uint64 period) {
        return (_privacyEpsilon, _privacyPeriod);
    }

    /// @inheritdoc IDataAccessRegistry
    function minimumFee() external view returns (uint256) {
        return _minimumFee;
    }

    /// @inheritdoc IDataAccessRegistry
    function maxDuration() external view returns (uint64) {
        return _maxDuration;
    }

    /// @inheritdoc IDataAccessRegistry
    function revenue() external view returns (address) {
        return address(_revenue);
    }

    function _checkTerms(
        uint256 datasetId,
        uint8 purpose,
        Scope calldata scope,
        uint64 duration,
        string calldata termsURI
    ) private view {
        uint256 fieldCount = _requireOpenDataset(datasetId).fieldCount;
        if (!Purposes.isValid(purpose)) revert DataAccessRegistryInvalidPurpose(purpose);
        uint256 fieldMask = scope.fieldMask;
        if (fieldMask == 0 || (fieldCount < _MAX_FIELDS && fieldMask >> fieldCount != 0)) {
            revert DataAccessRegistryInvalidFieldMask(datasetId, fieldMask, fieldCount);
        }
        uint32 minimum = scope.rowLevel ? _MIN_ROW_COHORT : _MIN_AGGREGATE_COHORT;
        if (scope.minCohort < minimum) revert DataAccessRegistryCohortTooSmall(scope.minCohort, minimum);
        if (scope.rowLevel && scope.exactTabulations != bytes32(0)) revert DataAccessRegistryExactModeNeedsAggregates();
        if (duration == 0) revert DataAccessRegistryZeroDuration();
        if (duration > _maxDuration) revert DataAccessRegistryDurationTooLong(duration, _maxDuration);
        if (bytes(termsURI).length == 0) revert DataAccessRegistryEmptyTermsURI();
    }

    /// @dev Stores a new request with its terms and terms hash and emits {RequestCreated}; the caller sets the rest.
    function _record(
        address partner,
        string memory partnerName,
        uint256 datasetId,
        uint8 purpose,
        Scope calldata scope,
        uint64 duration,
        string calldata termsURI,
        uint128 fee
    ) private returns (uint256 requestId, Request storage r) {
        requestId = ++_requestCount;
        r = _requests[requestId];
        r.partner = partner;
        r.duration = duration;
        // Fits: _checkTerms found the dataset, and registration keeps ids within uint32.
        r.datasetId = uint32(datasetId);
        r.fieldMask = scope.fieldMask;
        r.fee = fee;
        r.purpose = purpose;
        r.status = Status.Pending;
        r.rowLevel = scope.rowLevel;
        r.minCohort = scope.minCohort;
        r.exactTabulations = scope.exactTabulations;
        r.termsURI = termsURI;
        r.partnerName = partnerName;
        bytes32 termsHash = _termsHash(requestId, r);
        r.termsHash = termsHash;
        emit RequestCreated(
            requestId,
            partner,
            datasetId,
            partnerName,
            purpose,
            scope,
            duration,
            termsURI,
            fee,
            termsHash
        );
    }

    function _makeRefundable(address partner, uint128 fee) private {
        _refunds[partner] += fee;
        Totals memory sums = _totals;
        sums.escrowed -= fee;
        sums.refundable += fee;
        _totals = sums;
    }

    function _requireDataset(uint256 datasetId) private view returns (Dataset storage ds) {
        if (datasetId == 0 || datasetId > _datasetCount) revert DataAccessRegistryUnknownDataset(datasetId);
        return _datasets[datasetId];
    }

    function _requireOpenDataset(uint256 datasetId) private view returns (Dataset storage ds) {
        ds = _requireDataset(datasetId);
        if (ds.retired) revert DataAccessRegistryDatasetRetired(datasetId);
    }

    function _requireRequest(uint256 requestId) private view returns (Request storage) {
        if (requestId == 0 || requestId > _requestCount) revert DataAccessRegistryUnknownRequest(requestId);
        return _requests[requestId];
    }

    function _requireStatus(uint256 requestId, Status expected) private view returns (Request storage r) {
        r = _requireRequest(requestId);
        if (r.status != expected) revert DataAccessRegistryUnexpectedStatus(requestId, r.status);
    }

    function _requireDecidable(uint256 requestId, bytes32 termsHash) private view returns (Request storage r) {
        r = _requireStatus(requestId, Status.Pending);
        if (r.termsHash != termsHash) revert DataAccessRegistryTermsMismatch(requestId, r.termsHash, termsHash);
    }

    function _termsHash(uint256 requestId, Request storage r) private view returns (bytes32) {
        return
            keccak256(
                bytes.concat(
                    abi.encode(
                        TERMS_TYPEHASH,
                        block.chainid,
                        address(this),
                        requestId,
                        r.partner,
                        keccak256(bytes(r.partnerName)),
                        r.datasetId
                    ),
                    abi.encode(
                        r.purpose,
                        r.fieldMask,
                        r.rowLevel,
                        r.minCohort,
                        r.exactTabulations,
                        r.duration,
                        keccak256(bytes(r.termsURI)),
                        r.fee
                    )
                )
            );
    }

    function _proposalCall(
        bytes memory data
    ) private view returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) {
        targets = new address[](1);
        targets[0] = address(this);
        values = new uint256[](1);
        calldatas = new bytes[](1);
        calldatas[0] = data;
    }

    function _scopeInWords(Request storage r) private view returns (string memory) {
        return
            string.concat(
                "fields ",
                r.fieldMask.toHexString(),
                r.rowLevel ? ", pseudonymised rows from at least " : ", aggregate answers over groups of at least ",
                uint256(r.minCohort).toString(),
                " members, "
            );
    }

    function _closingInWords(Request storage r) private view returns (string memory) {
        return
            string.concat(
                "for ",
                uint256(r.duration).toString(),
                " seconds from approval, for a fee of ",
                uint256(r.fee).toString(),
                " wei.\n\nTerms hash: ",
                uint256(r.termsHash).toHexString(32)
            );
    }

    function _setGuardian(address newGuardian) private {
        emit GuardianSet(_guardian, newGuardian);
        _guardian = newGuardian;
        _guardianPauseUsed = false;
    }

    function _setPrivacyCap(uint64 epsilonMillionths, uint64 period) private {
        if (
            epsilonMillionths == 0 ||
            epsilonMillionths > MAX_PRIVACY_EPSILON_MILLIONTHS ||
            period < MIN_PRIVACY_PERIOD ||
            period > MAX_PRIVACY_PERIOD
        ) {
            revert DataAccessRegistryInvalidPrivacyCap(
                epsilonMillionths,
                period,
                MAX_PRIVACY_EPSILON_MILLIONTHS,
                MIN_PRIVACY_PERIOD,
                MAX_PRIVACY_PERIOD
            );
        }
        emit PrivacyCapSet(_privacyEpsilon, _privacyPeriod, epsilonMillionths, period);
        _privacyEpsilon = epsilonMillionths;
        _privacyPeriod = period;
    }

    function _setMinimumFee(uint256 newMinimumFee) private {
        emit MinimumFeeSet(_minimumFee, newMinimumFee);
        _minimumFee = newMinimumFee;
    }

    function _setMaxDuration(uint64 newMaxDuration) private {
        if (newMaxDuration > _DURATION_LIMIT) {
            revert DataAccessRegistryMaxDurationTooLong(newMaxDuration, _DURATION_LIMIT);
        }
        emit MaxDurationSet(_maxDuration, newMaxDuration);
        _maxDuration = newMaxDuration;
    }
}
