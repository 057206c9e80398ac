import { expect } from "chai";
import {
  admitCall,
  asTimelock,
  castVotes,
  coopFixture,
  deployCoop,
  endVoting,
  ethers,
  execute,
  networkHelpers,
  passAndQueue,
  propose,
  ProposalState,
  queue,
  SETTINGS,
  signBallot,
  startVoting,
  stateBitmap,
  time,
  timelockOperationId,
  timeTravelTo,
  twoCoopsFixture,
  Vote,
  type Call,
  type Coop,
} from "./fixtures.js";

const { loadFixture } = networkHelpers;

/** A co-op with a proposal open for voting and the timelock as a signer (standing for passed votes). */
async function votingFixture() {
  const coop = await coopFixture();
  const proposal = await propose(
    coop.governor,
    coop.founders[0],
    [await admitCall(coop, coop.applicant.address)],
    "Admit the applicant",
  );
  await startVoting(coop.governor, proposal);
  const snapshot = await coop.governor.proposalSnapshot(proposal.id);
  const timelockSigner = await asTimelock(coop.timelock);
  return { ...coop, proposal, snapshot, asCoop: coop.membership.connect(timelockSigner) };
}

/** The same, but the proposal is still pending: its snapshot is in the future. */
async function pendingFixture() {
  const coop = await coopFixture();
  const proposal = await propose(
    coop.governor,
    coop.founders[0],
    [await admitCall(coop, coop.applicant.address)],
    "Admit the applicant",
  );
  const timelockSigner = await asTimelock(coop.timelock);
  return { ...coop, proposal, asCoop: coop.membership.connect(timelockSigner) };
}

describe("Attacks on CoopGovernor", function () {
  describe("double vote", function () {
    it("reverts when a member votes twice", async function () {
      const { governor, founders, proposal } = await loadFixture(votingFixture);
      const voter = founders[1];
      await governor.connect(voter).castVote(proposal.id, Vote.For);
      for (const support of [Vote.For, Vote.Against, Vote.Abstain]) {
        await expect(governor.connect(voter).castVote(proposal.id, support))
          .to.be.revertedWithCustomError(governor, "GovernorAlreadyCastVote")
          .withArgs(voter.address);
      }
      await expect(governor.connect(voter).castVoteWithReason(proposal.id, Vote.For, "again"))
        .to.be.revertedWithCustomError(governor, "GovernorAlreadyCastVote")
        .withArgs(voter.address);
      expect(await governor.proposalVotes(proposal.id)).to.deep.equal([0n, 1n, 0n]);
    });

    it("reverts when a member resigns, is re-admitted and votes again in the same period", async function () {
      const { governor, membership, asCoop, founders, proposal } = await loadFixture(votingFixture);
      const voter = founders[2];
      await governor.connect(voter).castVote(proposal.id, Vote.For);
      await membership.connect(voter).resign();
      await asCoop.admit(voter.address);
      expect(await membership.memberIdOf(voter.address)).to.equal(3n);
      expect(await governor.hasVoted(proposal.id, voter.address)).to.equal(true);
      await expect(governor.connect(voter).castVote(proposal.id, Vote.For))
        .to.be.revertedWithCustomError(governor, "GovernorAlreadyCastVote")
        .withArgs(voter.address);
      expect(await governor.proposalVotes(proposal.id)).to.deep.equal([0n, 1n, 0n]);
    });

    it("reverts when a member is removed, re-admitted and votes again in the same period", async function () {
      const { governor, asCoop, founders, proposal } = await loadFixture(votingFixture);
      const voter = founders[4];
      await governor.connect(voter).castVote(proposal.id, Vote.Against);
      await asCoop.remove(voter.address);
      await asCoop.admit(voter.address);
      await expect(governor.connect(voter).castVote(proposal.id, Vote.For))
        .to.be.revertedWithCustomError(governor, "GovernorAlreadyCastVote")
        .withArgs(voter.address);
      expect(await governor.proposalVotes(proposal.id)).to.deep.equal([1n, 0n, 0n]);
    });
  });

  describe("flash membership", function () {
    it("reverts when a member admitted after the snapshot votes", async function () {
      const { governor, asCoop, outsider, proposal, snapshot } = await loadFixture(votingFixture);
      await asCoop.admit(outsider.address);
      await expect(governor.connect(outsider).castVote(proposal.id, Vote.For))
        .to.be.revertedWithCustomError(governor, "GovernorMemberCountingNoVote")
        .withArgs(outsider.address, snapshot);
      expect(await governor.hasVoted(proposal.id, outsider.address)).to.equal(false);
    });

    it("lets a member admitted before the snapshot vote", async function () {
      const { governor, asCoop, outsider, proposal } = await loadFixture(pendingFixture);
      await asCoop.admit(outsider.address);
      await startVoting(governor, proposal);
      await expect(governor.connect(outsider).castVote(proposal.id, Vote.For))
        .to.emit(governor, "VoteCast")
        .withArgs(outsider.address, proposal.id, Vote.For, 1n, "");
    });

    it("lets a member removed after the snapshot vote, once", async function () {
      const { governor, asCoop, founders, proposal } = await loadFixture(votingFixture);
      const removed = founders[3];
      await asCoop.remove(removed.address);
      await expect(governor.connect(removed).castVote(proposal.id, Vote.Against))
        .to.emit(governor, "VoteCast")
        .withArgs(removed.address, proposal.id, Vote.Against, 1n, "");
      await expect(governor.connect(removed).castVote(proposal.id, Vote.Against))
        .to.be.revertedWithCustomError(governor, "GovernorAlreadyCastVote")
        .withArgs(removed.address);
    });

    it("reverts when a member who left before the snapshot returns after it and votes", async function () {
      const { governor, membership, asCoop, founders, proposal } =
        await loadFixture(pendingFixture);
      const member = founders[1];
      await membership.connect(member).resign();
      await startVoting(governor, proposal);
      await asCoop.admit(member.address);
      await expect(governor.connect(member).castVote(proposal.id, Vote.For))
        .to.be.revertedWithCustomError(governor, "GovernorMemberCountingNoVote")
        .withArgs(member.address, await governor.proposalSnapshot(proposal.id));
    });
  });

  describe("signature replay", function () {
    it("reverts when a relayed ballot is relayed again (the member has voted)", async function () {
      const { governor, founders, relayer, outsider, proposal } = await loadFixture(votingFixture);
      const voter = founders[0];
      const signature = await signBallot(governor, voter, proposal.id, Vote.For);
      await governor
        .connect(relayer)
        .castVoteBySig(proposal.id, Vote.For, voter.address, signature);
      for (const sender of [relayer, outsider]) {
        await expect(
          governor.connect(sender).castVoteBySig(proposal.id, Vote.For, voter.address, signature),
        )
          .to.be.revertedWithCustomError(governor, "GovernorAlreadyCastVote")
          .withArgs(voter.address);
      }
      expect(await governor.proposalVotes(proposal.id)).to.deep.equal([0n, 1n, 0n]);
    });

    it("reverts when a second ballot of the same member is relayed for the same proposal", async function () {
      const { governor, founders, relayer, proposal } = await loadFixture(votingFixture);
      const voter = founders[1];
      await governor
        .connect(relayer)
        .castVoteBySig(
          proposal.id,
          Vote.For,
          voter.address,
          await signBallot(governor, voter, proposal.id, Vote.For),
        );
      // A fresh signature (next nonce) is valid, so the double vote itself is what is refused.
      const second = await signBallot(governor, voter, proposal.id, Vote.Against);
      await expect(
        governor.connect(relayer).castVoteBySig(proposal.id, Vote.Against, voter.address, second),
      )
        .to.be.revertedWithCustomError(governor, "GovernorAlreadyCastVote")
        .withArgs(voter.address);
    });

    it("reverts when a ballot signed earlier is relayed after the member voted on-chain", async function () {
      const { governor, founders, relayer, proposal } = await loadFixture(votingFixture);
      const voter = founders[2];
      const signature = await signBallot(governor, voter, proposal.id, Vote.Against);
      await governor.connect(voter).castVote(proposal.id, Vote.For);
      await expect(
        governor
          .connect(relayer)
          .castVoteBySig(proposal.id, Vote.Against, voter.address, signature),
      )
        .to.be.revertedWithCustomError(governor, "GovernorAlreadyCastVote")
        .withArgs(voter.address);
      expect(await governor.proposalVotes(proposal.id)).to.deep.equal([0n, 1n, 0n]);
    });

    it("reverts when a ballot is relayed for another proposal", async function () {
      const coop = await loadFixture(votingFixture);
      const { governor, founders, relayer, outsider, proposal } = coop;
      const other = await propose(
        governor,
        founders[1],
        [await admitCall(coop, outsider.address)],
        "Admit the outsider",
      );
      await startVoting(governor, other);
      const voter = founders[3];
      const signature = await signBallot(governor, voter, proposal.id, Vote.For);
      await expect(
        governor.connect(relayer).castVoteBySig(other.id, Vote.For, voter.address, signature),
      )
        .to.be.revertedWithCustomError(governor, "GovernorInvalidSignature")
        .withArgs(voter.address);
      // Still good for the proposal it was signed for.
      await governor
        .connect(relayer)
        .castVoteBySig(proposal.id, Vote.For, voter.address, signature);
      expect(await governor.hasVoted(other.id, voter.address)).to.equal(false);
    });

    it("reverts when the ballot was signed for another chain", async function () {
      const { governor, founders, relayer, proposal } = await loadFixture(votingFixture);
      const voter = founders[0];
      const signature = await signBallot(governor, voter, proposal.id, Vote.For, {
        domain: { chainId: 1n },
      });
      await expect(
        governor.connect(relayer).castVoteBySig(proposal.id, Vote.For, voter.address, signature),
      )
        .to.be.revertedWithCustomError(governor, "GovernorInvalidSignature")
        .withArgs(voter.address);
    });

    it("reverts when the ballot was signed for another co-op's governor", async function () {
      const coop = await loadFixture(twoCoopsFixture);
      const { governor, other, founders, relayer, applicant } = coop;
      // The same proposal on both co-ops has the same id: only the EIP-712 domain tells them apart.
      const calls = [await admitCall(coop, applicant.address)];
      const here = await propose(governor, founders[0], calls, "Admit the applicant");
      const there = await propose(other.governor, founders[0], calls, "Admit the applicant");
      expect(there.id).to.equal(here.id);
      await startVoting(other.governor, there);

      const voter = founders[1];
      const signature = await signBallot(governor, voter, here.id, Vote.For);
      await expect(
        other.governor.connect(relayer).castVoteBySig(there.id, Vote.For, voter.address, signature),
      )
        .to.be.revertedWithCustomError(other.governor, "GovernorInvalidSignature")
        .withArgs(voter.address);
      await governor.connect(relayer).castVoteBySig(here.id, Vote.For, voter.address, signature);
      expect(await governor.hasVoted(here.id, voter.address)).to.equal(true);
      expect(await other.governor.hasVoted(there.id, voter.address)).to.equal(false);
    });

    it("reverts when someone else signed the ballot", async function () {
      const { governor, founders, relayer, outsider, proposal } = await loadFixture(votingFixture);
      const victim = founders[0];
      for (const forger of [outsider, founders[1]]) {
        const signature = await signBallot(governor, forger, proposal.id, Vote.Against, {
          voter: victim.address,
        });
        await expect(
          governor
            .connect(relayer)
            .castVoteBySig(proposal.id, Vote.Against, victim.address, signature),
        )
          .to.be.revertedWithCustomError(governor, "GovernorInvalidSignature")
          .withArgs(victim.address);
      }
      expect(await governor.hasVoted(proposal.id, victim.address)).to.equal(false);
    });

    it("reverts when the relayer changes the vote of a signed ballot", async function () {
      const { governor, founders, relayer, proposal } = await loadFixture(votingFixture);
      const voter = founders[4];
      const signature = await signBallot(governor, voter, proposal.id, Vote.Against);
      await expect(
        governor.connect(relayer).castVoteBySig(proposal.id, Vote.For, voter.address, signature),
      )
        .to.be.revertedWithCustomError(governor, "GovernorInvalidSignature")
        .withArgs(voter.address);
    });
  });

  describe("proposals", function () {
    it("reverts when a non-member proposes", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, outsider, timelock } = coop;
      const grab = {
        target: await timelock.getAddress(),
        data: timelock.interface.encodeFunctionData("grantRole", [
          await timelock.DEFAULT_ADMIN_ROLE(),
          outsider.address,
        ]),
      };
      await expect(propose(governor, outsider, [grab], "Make me admin"))
        .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
        .withArgs(outsider.address, 0n, 1n);
    });

    it("reverts when someone front-runs a proposal reserved for its proposer", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, founders, outsider, applicant } = coop;
      const calls = [await admitCall(coop, applicant.address)];
      const description = `Admit the applicant#proposer=${founders[0].address}`;
      for (const frontRunner of [founders[1], outsider]) {
        await expect(propose(governor, frontRunner, calls, description))
          .to.be.revertedWithCustomError(governor, "GovernorRestrictedProposer")
          .withArgs(frontRunner.address);
      }
      const proposal = await propose(governor, founders[0], calls, description);
      expect(await governor.proposalProposer(proposal.id)).to.equal(founders[0].address);
    });

    it("reads the reserved proposer's address in lower case too", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, founders, applicant } = coop;
      const calls = [await admitCall(coop, applicant.address)];
      const description = `Admit#proposer=${founders[2].address.toLowerCase()}`;
      await expect(propose(governor, founders[3], calls, description))
        .to.be.revertedWithCustomError(governor, "GovernorRestrictedProposer")
        .withArgs(founders[3].address);
      await propose(governor, founders[2], calls, description);
    });

    it("reverts when anyone but the proposer cancels", async function () {
      const { governor, founders, outsider, proposal } = await loadFixture(pendingFixture);
      for (const caller of [founders[1], outsider]) {
        await expect(
          governor
            .connect(caller)
            .cancel(
              proposal.targets,
              proposal.values,
              proposal.calldatas,
              proposal.descriptionHash,
            ),
        )
          .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
          .withArgs(proposal.id, caller.address);
      }
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Pending);
    });

    it("reverts when the proposer cancels once voting has started", async function () {
      const { governor, founders, proposal } = await loadFixture(votingFixture);
      await expect(
        governor
          .connect(founders[0])
          .cancel(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash),
      )
        .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
        .withArgs(proposal.id, founders[0].address);
    });
  });

  describe("late-quorum sniping", function () {
    it("keeps voting open after a last-second vote reaches quorum, so others can answer", async function () {
      const { governor, founders, proposal } = await loadFixture(votingFixture);
      const deadline = await governor.proposalDeadline(proposal.id);
      // Two abstentions early: no quorum yet (3 of 5 needed).
      await castVotes(governor, proposal, founders.slice(0, 2), Vote.Abstain);
      // The sniper votes For at the last second: quorum reached, For 1 > Against 0.
      await time.setNextBlockTimestamp(deadline);
      const extended = deadline + BigInt(SETTINGS.lateQuorumExtension);
      await expect(governor.connect(founders[2]).castVote(proposal.id, Vote.For))
        .to.emit(governor, "ProposalExtended")
        .withArgs(proposal.id, extended);

      // Without the extension the proposal would now be Succeeded.
      await timeTravelTo(deadline + 1n);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Active);
      await castVotes(governor, proposal, founders.slice(3, 5), Vote.Against);
      await timeTravelTo(extended + 1n);
      expect(await governor.proposalVotes(proposal.id)).to.deep.equal([2n, 1n, 2n]);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Defeated);
    });

    it("does not let a flip after the extension end the vote early", async function () {
      const { governor, founders, proposal } = await loadFixture(votingFixture);
      const deadline = await governor.proposalDeadline(proposal.id);
      await castVotes(governor, proposal, founders.slice(0, 2), Vote.For);
      await time.setNextBlockTimestamp(deadline - 1n);
      await governor.connect(founders[2]).castVote(proposal.id, Vote.Against);
      // Quorum reached with the third For/Abstain vote at the deadline: extended from then.
      await time.setNextBlockTimestamp(deadline);
      await governor.connect(founders[3]).castVote(proposal.id, Vote.Abstain);
      const extended = deadline + BigInt(SETTINGS.lateQuorumExtension);
      expect(await governor.proposalDeadline(proposal.id)).to.equal(extended);
      // The last member flips the result one second later: voting still runs to the extended deadline.
      await governor.connect(founders[4]).castVote(proposal.id, Vote.Against);
      expect(await governor.proposalDeadline(proposal.id)).to.equal(extended);
      await timeTravelTo(extended);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Active);
      await time.increase(1);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Defeated);
    });
  });

  describe("timelock bypass", function () {
    async function grabCalls(coop: Coop, attacker: string): Promise<Call[]> {
      const { timelock } = coop;
      const target = await timelock.getAddress();
      return [
        {
          target,
          data: timelock.interface.encodeFunctionData("grantRole", [
            await timelock.DEFAULT_ADMIN_ROLE(),
            attacker,
          ]),
        },
        {
          target,
          data: timelock.interface.encodeFunctionData("grantRole", [
            await timelock.PROPOSER_ROLE(),
            attacker,
          ]),
        },
      ];
    }

    it("reverts when an account grants itself timelock roles directly", async function () {
      const { timelock, outsider, founders, deployer } = await loadFixture(coopFixture);
      const admin = await timelock.DEFAULT_ADMIN_ROLE();
      for (const attacker of [outsider, founders[0], deployer]) {
        for (const role of [
          admin,
          await timelock.PROPOSER_ROLE(),
          await timelock.EXECUTOR_ROLE(),
        ]) {
          await expect(timelock.connect(attacker).grantRole(role, attacker.address))
            .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
            .withArgs(attacker.address, admin);
        }
      }
    });

    it("reverts when an account schedules, executes or cancels on the timelock directly", async function () {
      const coop = await loadFixture(coopFixture);
      const { timelock, founders } = coop;
      const attacker = founders[0];
      const [call] = await grabCalls(coop, attacker.address);
      const salt = ethers.ZeroHash;
      await expect(
        timelock
          .connect(attacker)
          .schedule(call.target, 0n, call.data, ethers.ZeroHash, salt, SETTINGS.timelockDelay),
      )
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(attacker.address, await timelock.PROPOSER_ROLE());
      await expect(
        timelock.connect(attacker).execute(call.target, 0n, call.data, ethers.ZeroHash, salt),
      )
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(attacker.address, await timelock.EXECUTOR_ROLE());
      await expect(timelock.connect(attacker).cancel(ethers.ZeroHash))
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(attacker.address, await timelock.CANCELLER_ROLE());
    });

    it("reverts when an account asks the governor to relay a call", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, founders, outsider } = coop;
      for (const attacker of [founders[0], outsider]) {
        const [call] = await grabCalls(coop, attacker.address);
        await expect(governor.connect(attacker).relay(call.target, 0n, call.data))
          .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
          .withArgs(attacker.address);
      }
    });

    it("reverts when an account admits itself", async function () {
      const { membership, outsider } = await loadFixture(coopFixture);
      await expect(membership.connect(outsider).admit(outsider.address))
        .to.be.revertedWithCustomError(membership, "OwnableUnauthorizedAccount")
        .withArgs(outsider.address);
    });

    it("cannot queue a role grab the members voted down", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, timelock, founders } = coop;
      const attacker = founders[0];
      const proposal = await propose(
        governor,
        attacker,
        await grabCalls(coop, attacker.address),
        "Make me admin",
      );
      await startVoting(governor, proposal);
      await castVotes(governor, proposal, [attacker], Vote.For);
      await castVotes(governor, proposal, founders.slice(1, 4), Vote.Against);
      await endVoting(governor, proposal);
      await expect(queue(governor, proposal))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(proposal.id, ProposalState.Defeated, stateBitmap(ProposalState.Succeeded));
      expect(
        await timelock.hasRole(await timelock.DEFAULT_ADMIN_ROLE(), attacker.address),
      ).to.equal(false);
    });

    it("grants the roles only after a passed vote and the full timelock delay", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, timelock, founders, outsider } = coop;
      const proposal = await propose(
        governor,
        founders[0],
        await grabCalls(coop, outsider.address),
        "Appoint an outside administrator",
      );
      await startVoting(governor, proposal);
      await castVotes(governor, proposal, founders.slice(0, 3));
      await endVoting(governor, proposal);
      await queue(governor, proposal);
      const eta = await governor.proposalEta(proposal.id);
      const operationId = await timelockOperationId(coop, proposal);
      expect(await timelock.isOperationPending(operationId)).to.equal(true);

      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState")
        .withArgs(operationId, stateBitmap(2)); // OperationState.Ready
      await time.setNextBlockTimestamp(eta - 1n);
      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState")
        .withArgs(operationId, stateBitmap(2));
      expect(
        await timelock.hasRole(await timelock.DEFAULT_ADMIN_ROLE(), outsider.address),
      ).to.equal(false);

      await timeTravelTo(eta);
      await expect(execute(governor, proposal))
        .to.emit(timelock, "RoleGranted")
        .withArgs(
          await timelock.DEFAULT_ADMIN_ROLE(),
          outsider.address,
          await timelock.getAddress(),
        );
      expect(
        await timelock.hasRole(await timelock.DEFAULT_ADMIN_ROLE(), outsider.address),
      ).to.equal(true);
      expect(await timelock.hasRole(await timelock.PROPOSER_ROLE(), outsider.address)).to.equal(
        true,
      );
    });

    it("reverts when the queued operation is executed on the timelock by an account", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, timelock, founders } = coop;
      const attacker = founders[0];
      const proposal = await passAndQueue(
        coop,
        attacker,
        founders.slice(0, 3),
        [await admitCall(coop, coop.applicant.address)],
        "Admit the applicant",
      );
      const salt = ethers.toBeHex(
        (BigInt(await governor.getAddress()) << 96n) ^ BigInt(proposal.descriptionHash),
        32,
      );
      await expect(
        timelock
          .connect(attacker)
          .executeBatch(
            proposal.targets,
            proposal.values,
            proposal.calldatas,
            ethers.ZeroHash,
            salt,
          ),
      )
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(attacker.address, await timelock.EXECUTOR_ROLE());
    });
  });

  describe("tally snapshot", function () {
    it("ignores admissions after the snapshot for quorum and voting rights", async function () {
      const { governor, membership, asCoop, outsider, applicant, proposal, snapshot } =
        await loadFixture(votingFixture);
      await asCoop.admit(outsider.address);
      await asCoop.admit(applicant.address);
      expect(await membership.memberCount()).to.equal(7n);
      expect(await governor.quorum(snapshot)).to.equal(3n);
      for (const newcomer of [outsider, applicant]) {
        await expect(governor.connect(newcomer).castVote(proposal.id, Vote.For))
          .to.be.revertedWithCustomError(governor, "GovernorMemberCountingNoVote")
          .withArgs(newcomer.address, snapshot);
      }
    });

    it("ignores removals and resignations after the snapshot for quorum and voting rights", async function () {
      const { governor, membership, asCoop, founders, proposal, snapshot } =
        await loadFixture(votingFixture);
      await asCoop.remove(founders[0].address);
      await membership.connect(founders[1]).resign();
      await membership.connect(founders[2]).resign();
      expect(await membership.memberCount()).to.equal(2n);
      expect(await governor.quorum(snapshot)).to.equal(3n);
      // Three votes are still needed, and the three who left may still cast them.
      await castVotes(governor, proposal, founders.slice(3, 5));
      await endVoting(governor, proposal);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Defeated);
    });

    it("lets members who left after the snapshot carry the vote", async function () {
      const { governor, membership, asCoop, founders, proposal } = await loadFixture(votingFixture);
      await asCoop.remove(founders[0].address);
      await membership.connect(founders[1]).resign();
      await castVotes(governor, proposal, founders.slice(0, 3));
      expect(await governor.proposalVotes(proposal.id)).to.deep.equal([0n, 3n, 0n]);
      await endVoting(governor, proposal);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Succeeded);
    });

    it("counts changes made before the snapshot", async function () {
      const { governor, membership, asCoop, founders, outsider, applicant, proposal } =
        await loadFixture(pendingFixture);
      await asCoop.admit(outsider.address);
      await asCoop.admit(applicant.address);
      await membership.connect(founders[4]).resign();
      await startVoting(governor, proposal);
      // 6 members at 50 percent.
      expect(await governor.quorum(await governor.proposalSnapshot(proposal.id))).to.equal(3n);
      await expect(governor.connect(founders[4]).castVote(proposal.id, Vote.For))
        .to.be.revertedWithCustomError(governor, "GovernorMemberCountingNoVote")
        .withArgs(founders[4].address, await governor.proposalSnapshot(proposal.id));
      await asCoop.admit(ethers.Wallet.createRandom().address);
      expect(await governor.quorum(await governor.proposalSnapshot(proposal.id))).to.equal(3n);
    });

    it("gives each proposal the quorum of its own snapshot", async function () {
      const coop = await loadFixture(pendingFixture);
      const { governor, asCoop, founders, outsider, applicant, proposal } = coop;
      await startVoting(governor, proposal);
      await asCoop.admit(outsider.address);
      await asCoop.admit(applicant.address);
      const later = await propose(
        governor,
        founders[1],
        [await admitCall(coop, ethers.Wallet.createRandom().address)],
        "Admit a third applicant",
      );
      await startVoting(governor, later);
      // 5 members then, 7 now.
      expect(await governor.quorum(await governor.proposalSnapshot(proposal.id))).to.equal(3n);
      expect(await governor.quorum(await governor.proposalSnapshot(later.id))).to.equal(4n);
      await castVotes(governor, proposal, founders.slice(0, 3));
      await castVotes(governor, later, [...founders.slice(0, 2), outsider]);
      await endVoting(governor, later);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Succeeded);
      expect(await governor.state(later.id)).to.equal(ProposalState.Defeated);
    });
  });

  describe("quorum change", function () {
    async function quorumCall(coop: Coop, percent: number): Promise<Call> {
      return {
        target: await coop.governor.getAddress(),
        data: coop.governor.interface.encodeFunctionData("updateQuorumNumerator", [percent]),
      };
    }

    it("does not revive a defeated proposal", async function () {
      const coop = await loadFixture(votingFixture);
      const { governor, founders, proposal, snapshot } = coop;
      await castVotes(governor, proposal, founders.slice(0, 2));
      await endVoting(governor, proposal);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Defeated);

      const lower = await passAndQueue(
        coop,
        founders[0],
        founders.slice(0, 3),
        [await quorumCall(coop, 20)],
        "Quorum 20 percent",
      );
      await execute(governor, lower);
      expect(await governor["quorumNumerator()"]()).to.equal(20n);
      expect(await governor.quorum(snapshot)).to.equal(3n);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Defeated);
      await expect(queue(governor, proposal))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(proposal.id, ProposalState.Defeated, stateBitmap(ProposalState.Succeeded));
    });

    it("does not lower the quorum of a proposal already open", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, founders, applicant } = coop;
      const lower = await propose(
        governor,
        founders[0],
        [await quorumCall(coop, 20)],
        "Quorum 20 percent",
      );
      await startVoting(governor, lower);
      await castVotes(governor, lower, founders.slice(0, 3));
      // Opened while the quorum change is being decided; still open when it takes effect.
      await timeTravelTo((await governor.proposalSnapshot(lower.id)) + 340n);
      const open = await propose(
        governor,
        founders[1],
        [await admitCall(coop, applicant.address)],
        "Admit the applicant",
      );
      await endVoting(governor, lower);
      await queue(governor, lower);
      await timeTravelTo(await governor.proposalEta(lower.id));
      await execute(governor, lower);
      expect(await governor.state(open.id)).to.equal(ProposalState.Active);

      const snapshot = await governor.proposalSnapshot(open.id);
      expect(await governor.quorum(snapshot)).to.equal(3n);
      await time.increase(1);
      expect(await governor.quorum(BigInt(await time.latest()) - 1n)).to.equal(1n);
      await castVotes(governor, open, founders.slice(3, 5));
      await endVoting(governor, open);
      expect(await governor.state(open.id)).to.equal(ProposalState.Defeated);
    });

    it("does not raise the quorum of a proposal already open", async function () {
      const base = await loadFixture(coopFixture);
      // A co-op that decides with a fifth of its members (1 of 5), raising its quorum to half (3 of 5).
      const coop = {
        ...base,
        ...(await deployCoop(
          base.founders.map((founder) => founder.address),
          { quorumPercent: 20 },
        )),
      };
      await time.increase(1);
      const { governor, founders, applicant } = coop;
      const raise = await propose(
        governor,
        founders[0],
        [await quorumCall(coop, 50)],
        "Quorum 50 percent",
      );
      await startVoting(governor, raise);
      await castVotes(governor, raise, founders.slice(0, 3));
      await timeTravelTo((await governor.proposalSnapshot(raise.id)) + 340n);
      const open = await propose(
        governor,
        founders[1],
        [await admitCall(coop, applicant.address)],
        "Admit the applicant",
      );
      await startVoting(governor, open);
      await castVotes(governor, open, [founders[4]]);
      await endVoting(governor, raise);
      await queue(governor, raise);
      await timeTravelTo(await governor.proposalEta(raise.id));
      await execute(governor, raise);
      expect(await governor["quorumNumerator()"]()).to.equal(50n);

      await endVoting(governor, open);
      // One vote was the quorum at its snapshot, and stays so.
      expect(await governor.quorum(await governor.proposalSnapshot(open.id))).to.equal(1n);
      expect(await governor.state(open.id)).to.equal(ProposalState.Succeeded);
    });
  });
});
