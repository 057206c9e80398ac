// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {Purposes} from "./libraries/Purposes.sol";
import {IConsentRegistry} from "./interfaces/IConsentRegistry.sol";
import {IDataAccessRegistry} from "./interfaces/IDataAccessRegistry.sol";
import {IMembership} from "./interfaces/IMembership.sol";

/// @title ConsentRegistry
/// @notice Members' standing consent per purpose and their per-grant choices. No admin: only members write, and
/// only their own entries.
/// @dev Each entry is one slot: the decision, the time it was made and — for the standing consent — the first second
/// of the member's current membership (`validFrom`), which Membership writes at each admission ({onAdmitted}) and
/// this constructor for the founders. Writes never call the membership contract: a signed write checks its time
/// against `validFrom` in the slot it writes anyway, and admission already made that slot non-zero, so a member's
/// first setting does not pay for a fresh slot either. The views ignore entries older than the current membership, as
/// Membership reports it now: for a returning member that includes entries from the second of their return
/// (`unambiguousSince`), since an entry written in the second they left and were admitted again cannot be told apart
/// by its timestamp, and consent must not survive leaving. A signature relayed while its signer is out of the co-op is
/// stored but never in force (their `validFrom` is from the membership that ended, and their next admission moves it);
/// the relayer refuses such relays before sending. Signatures need no nonce: the decision's time orders them against
/// the entry's latest one. Signatures are EIP-712 (domain "DataCoop Consent", version "1") and may come from smart
/// accounts (ERC-1271).
contract ConsentRegistry is IConsentRegistry, EIP712 {
    /// @dev A standing consent, when it was decided, and from when the member's current (or last) membership
    /// counts, in one slot.
    struct Consent {
        uint160 mask;
        uint48 updatedAt;
        uint48 validFrom;
    }

    /// @dev A per-grant choice and when it was decided, in one slot.
    struct GrantChoice {
        Choice choice;
        uint48 updatedAt;
    }

    bytes32 private constant _SET_CONSENT_TYPEHASH = keccak256(
        "SetConsent(address member,uint256 mask,uint256 signedAt,uint256 deadline)"
    );
    bytes32 private constant _SET_GRANT_CHOICE_TYPEHASH = keccak256(
        "SetGrantChoice(address member,uint256 grantId,uint8 choice,uint256 signedAt,uint256 deadline)"
    );

    IMembership private immutable _membership;
    IDataAccessRegistry private immutable _registry;

    mapping(address member => Consent) private _consents;
    mapping(address member => mapping(uint256 grantId => GrantChoice)) private _choices;
    /// @dev The account whose membership moved to this one: its per-grant choices stand until this one makes its own.
    mapping(address member => address) private _movedFrom;

    constructor(IMembership membership, IDataAccessRegistry registry) EIP712("DataCoop Consent", "1") {
        _membership = membership;
        _registry = registry;
        // The founders were admitted before this registry existed: record their memberships' start now.
        uint256 last = membership.lastMemberId();
        for (uint256 memberId = 1; memberId <= last; ++memberId) {
            try IERC721(address(membership)).ownerOf(memberId) returns (address member) {
                // Fits: a timestamp (plus one second) of this chain.
                _consents[member].validFrom = uint48(membership.unambiguousSince(member));
            } catch {
                // A founder who already left: nothing of theirs can be in force.
            }
        }
    }

    /// @inheritdoc IConsentRegistry
    function onAdmitted(address member, uint48 validFrom) external {
        if (msg.sender != address(_membership)) revert ConsentRegistryNotMembership(msg.sender);
        _consents[member].validFrom = validFrom;
    }

    /// @inheritdoc IConsentRegistry
    function onMoved(address from, address to) external {
        if (msg.sender != address(_membership)) revert ConsentRegistryNotMembership(msg.sender);
        // The membership's record moved as it is (same start), so the entry keeps its time and validity.
        _consents[to] = _consents[from];
        _movedFrom[to] = from;
        emit ConsentMoved(from, to);
    }

    /// @inheritdoc IConsentRegistry
    function movedFrom(address member) external view returns (address) {
        return _movedFrom[member];
    }

    /// @inheritdoc IConsentRegistry
    function setConsent(uint256 mask) external {
        _setConsent(msg.sender, mask, Time.timestamp());
    }

    /// @inheritdoc IConsentRegistry
    function setGrantChoice(uint256 grantId, Choice choice) external {
        _setGrantChoice(msg.sender, grantId, choice, Time.timestamp());
    }

    /// @inheritdoc IConsentRegistry
    function setConsentBySig(
        address member,
        uint256 mask,
        uint256 signedAt,
        uint256 deadline,
        bytes calldata signature
    ) external {
        uint48 decidedAt = _checkSignature(
            member,
            keccak256(abi.encode(_SET_CONSENT_TYPEHASH, member, mask, signedAt, deadline)),
            signedAt,
            deadline,
            signature
        );
        _requireLater(member, decidedAt, _consents[member].updatedAt);
        _setConsent(member, mask, decidedAt);
    }

    /// @inheritdoc IConsentRegistry
    function setGrantChoiceBySig(
        address member,
        uint256 grantId,
        Choice choice,
        uint256 signedAt,
        uint256 deadline,
        bytes calldata signature
    ) external {
        uint48 decidedAt = _checkSignature(
            member,
            keccak256(abi.encode(_SET_GRANT_CHOICE_TYPEHASH, member, grantId, choice, signedAt, deadline)),
            signedAt,
            deadline,
            signature
        );
        _requireLater(member, decidedAt, _storedChoice(member, grantId).updatedAt);
        _setGrantChoice(member, grantId, choice, decidedAt);
    }

    /// @inheritdoc IConsentRegistry
    function consentOf(address member) external view returns (uint256) {
        return _consentOf(member, _currentSince(member));
    }

    /// @inheritdoc IConsentRegistry
    function grantChoiceOf(address member, uint256 grantId) external view returns (Choice) {
        return _choiceOf(member, grantId, _currentSince(member));
    }

    /// @inheritdoc IConsentRegistry
    function storedConsent(address member) external view returns (uint256 mask, uint48 updatedAt) {
        Consent memory consent = _consents[member];
        return (consent.mask, consent.updatedAt);
    }

    /// @inheritdoc IConsentRegistry
    function membershipValidFrom(address member) external view returns (uint48) {
        return _consents[member].validFrom;
    }

    /// @inheritdoc IConsentRegistry
    function membership() external view returns (address) {
        return address(_membership);
    }

    /// @inheritdoc IConsentRegistry
    function storedGrantChoice(address member, uint256 grantId) external view returns (Choice, uint48) {
        GrantChoice memory entry = _storedChoice(member, grantId);
        return (entry.choice, entry.updatedAt);
    }

    /// @inheritdoc IConsentRegistry
    function covers(address member, uint8 purpose, uint256 grantId) external view returns (bool) {
        if (!Purposes.isValid(purpose)) revert ConsentRegistryInvalidPurpose(purpose);
        return _covers(member, purpose, grantId);
    }

    /// @inheritdoc IConsentRegistry
    function isCovered(address member, uint256 grantId) external view returns (bool) {
        return _covers(member, _registry.purposeOf(grantId), grantId);
    }

    /// @dev First second of entries in force for `member`, or 0 if not a member (so nothing they stored is in force).
    function _currentSince(address member) private view returns (uint256) {
        return _membership.unambiguousSince(member);
    }

    function _covers(address member, uint8 purpose, uint256 grantId) private view returns (bool) {
        uint256 since = _currentSince(member);
        Choice choice = _choiceOf(member, grantId, since);
        if (choice == Choice.OptIn) return true;
        if (choice == Choice.OptOut) return false;
        return Purposes.includes(_consentOf(member, since), purpose);
    }

    function _consentOf(address member, uint256 since) private view returns (uint256) {
        Consent memory consent = _consents[member];
        return since != 0 && consent.updatedAt >= since ? consent.mask : 0;
    }

    /// @dev `member`'s own choice for `grantId`, or — if it made none — that of the account its membership moved from
    /// (and so on back: one step per move, each a passed vote).
    function _storedChoice(address member, uint256 grantId) private view returns (GrantChoice memory entry) {
        entry = _choices[member][grantId];
        address earlier = _movedFrom[member];
        while (entry.updatedAt == 0 && earlier != address(0)) {
            entry = _choices[earlier][grantId];
            earlier = _movedFrom[earlier];
        }
    }

    function _choiceOf(address member, uint256 grantId, uint256 since) private view returns (Choice) {
        GrantChoice memory entry = _storedChoice(member, grantId);
        return since != 0 && entry.updatedAt >= since ? entry.choice : Choice.Default;
    }

    function _setConsent(address member, uint256 mask, uint48 decidedAt) private {
        if (!Purposes.isValidMask(mask)) revert ConsentRegistryInvalidMask(mask);
        Consent storage entry = _consents[member];
        // The mask fits: isValidMask keeps it below 2^COUNT. One write: validFrom shares the slot.
        (entry.mask, entry.updatedAt) = (uint160(mask), decidedAt);
        emit ConsentSet(member, mask, decidedAt);
    }

    function _setGrantChoice(address member, uint256 grantId, Choice choice, uint48 decidedAt) private {
        if (grantId == 0 || grantId > _registry.requestCount()) revert ConsentRegistryUnknownGrant(grantId);
        _choices[member][grantId] = GrantChoice({choice: choice, updatedAt: decidedAt});
        emit GrantChoiceSet(member, grantId, choice, decidedAt);
    }

    /// @dev Checks everything about a signed decision but its order against the entry, and returns its time.
    function _checkSignature(
        address member,
        bytes32 structHash,
        uint256 signedAt,
        uint256 deadline,
        bytes calldata signature
    ) private view returns (uint48) {
        if (block.timestamp > deadline) revert ConsentRegistryExpiredSignature(deadline);
        // A future time would outrank the member's later decisions, direct ones included.
        if (signedAt > block.timestamp) revert ConsentRegistrySignedInFuture(signedAt, block.timestamp);
        if (!SignatureChecker.isValidSignatureNowCalldata(member, _hashTypedDataV4(structHash), signature)) {
            revert ConsentRegistryInvalidSignature(member);
        }
        uint48 validFrom = _consents[member].validFrom;
        // Never admitted: nothing to order against, and nothing could be in force.
        if (validFrom == 0) revert ConsentRegistryNotMember(member);
        if (signedAt < validFrom) revert ConsentRegistrySignedBeforeMembership(member, signedAt, validFrom);
        // Fits: signedAt is not after the current block's uint48 timestamp.
        return uint48(signedAt);
    }

    /// @dev A signed decision must be strictly later than the entry's latest: equal times cannot be ordered, and the
    /// first one relayed must not be undone by another of the same second.
    function _requireLater(address member, uint48 decidedAt, uint48 latest) private pure {
        if (decidedAt <= latest) revert ConsentRegistryOutdatedSignature(member, decidedAt, latest);
    }
}
