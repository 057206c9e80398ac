// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";
import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC721Votes} from "@openzeppelin/contracts/token/ERC721/extensions/ERC721Votes.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

/// @title ReferenceMembership
/// @notice BENCHMARK ONLY — never deploy as part of the co-op. OpenZeppelin's plain ERC721 + ERC721Votes with a
/// timestamp clock, the baseline that `npm run bench:gas` compares {Membership} against.
/// @dev Plain OpenZeppelin behaviour on purpose: tokens are transferable and a holder's vote counts only after
/// they delegate (to themselves).
contract ReferenceMembership is ERC721Votes, Ownable {
    constructor(
        string memory name_,
        string memory symbol_,
        address initialOwner
    ) ERC721(name_, symbol_) EIP712(name_, "1") Ownable(initialOwner) {}

    /// @notice Mints `tokenId` to `to`. Only the owner (the timelock).
    function mint(address to, uint256 tokenId) external onlyOwner {
        _mint(to, tokenId);
    }

    /// @notice Mints `tokenId` to `to` and delegates its vote to `to`, in one transaction: the OpenZeppelin way to give
    /// a new member a vote at once, what {Membership-admit} does. Only the owner (the timelock).
    function admit(address to, uint256 tokenId) external onlyOwner {
        _mint(to, tokenId);
        _delegate(to, to);
    }

    /// @notice Burns `tokenId` whoever holds it. Only the owner (the timelock).
    function remove(uint256 tokenId) external onlyOwner {
        _burn(tokenId);
    }

    /// @notice Burns `tokenId`. Only its holder or an approved operator, as in OpenZeppelin's ERC721Burnable.
    function burn(uint256 tokenId) external {
        _update(address(0), tokenId, _msgSender());
    }

    /// @notice Timestamps (ERC-6372), as in {Membership}.
    function clock() public view override returns (uint48) {
        return Time.timestamp();
    }

    /// @inheritdoc Votes
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }
}
