import { expect } from "chai";
import {
  admitCall,
  asTimelock,
  BALLOT_NONCE,
  castVotes,
  coopFixture,
  deployCoop,
  endVoting,
  ethers,
  EXTENDED_BALLOT_TYPES,
  execute,
  minedAt,
  NAME,
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
  timeTravelTo,
  ballotDomain,
  Vote,
} from "./fixtures.js";

const { loadFixture } = networkHelpers;

/** A co-op with a pending proposal to admit the applicant. */
async function pendingProposalFixture() {
  const coop = await coopFixture();
  const proposal = await propose(
    coop.governor,
    coop.founders[0],
    [await admitCall(coop, coop.applicant.address)],
    "Admit the applicant",
  );
  return { ...coop, proposal };
}

/** The same proposal, open for voting. */
async function activeProposalFixture() {
  const fixture = await pendingProposalFixture();
  await startVoting(fixture.governor, fixture.proposal);
  return fixture;
}

/** A co-op whose newest members have numbers 255, 256 and 257: both sides of a voter-bitmap word. */
async function largeCoopFixture() {
  const coop = await coopFixture();
  const admitter = coop.membership.connect(await asTimelock(coop.timelock));
  for (let memberId = 6; memberId <= 254; memberId++) {
    await admitter.admit(ethers.Wallet.createRandom().address);
  }
  const late = (await ethers.getSigners()).slice(9, 12);
  for (const member of late) await admitter.admit(member.address);
  const proposal = await propose(
    coop.governor,
    late[2],
    [await admitCall(coop, coop.applicant.address)],
    "Admit the applicant",
  );
  await startVoting(coop.governor, proposal);
  return { ...coop, late, proposal };
}

describe("CoopGovernor", function () {
  describe("deployment", function () {
    it("uses the module's settings", async function () {
      const { governor, membership, timelock } = await loadFixture(coopFixture);
      expect(await governor.name()).to.equal(NAME);
      expect(await governor.version()).to.equal("1");
      expect(await governor.token()).to.equal(await membership.getAddress());
      expect(await governor.timelock()).to.equal(await timelock.getAddress());
      expect(await governor.votingDelay()).to.equal(BigInt(SETTINGS.votingDelay));
      expect(await governor.votingPeriod()).to.equal(BigInt(SETTINGS.votingPeriod));
      expect(await governor.lateQuorumVoteExtension()).to.equal(
        BigInt(SETTINGS.lateQuorumExtension),
      );
      expect(await governor["quorumNumerator()"]()).to.equal(BigInt(SETTINGS.quorumPercent));
      expect(await governor.quorumDenominator()).to.equal(100n);
      expect(await governor.proposalThreshold()).to.equal(1n);
      expect(await timelock.getMinDelay()).to.equal(BigInt(SETTINGS.timelockDelay));
    });

    it("describes its counting (bravo support, quorum from For and Abstain)", async function () {
      const { governor } = await loadFixture(coopFixture);
      expect(await governor.COUNTING_MODE()).to.equal("support=bravo&quorum=for,abstain");
    });

    it("keeps time in seconds (ERC-6372)", async function () {
      const { governor } = await loadFixture(coopFixture);
      await time.increase(77);
      expect(await governor.clock()).to.equal(BigInt(await time.latest()));
      expect(await governor.CLOCK_MODE()).to.equal("mode=timestamp");
    });

    it("leaves no timelock role to the deployer or any other account", async function () {
      const { timelock, deployer } = await loadFixture(coopFixture);
      const roles = {
        admin: await timelock.DEFAULT_ADMIN_ROLE(),
        proposer: await timelock.PROPOSER_ROLE(),
        canceller: await timelock.CANCELLER_ROLE(),
        executor: await timelock.EXECUTOR_ROLE(),
      };
      for (const signer of await ethers.getSigners()) {
        for (const [name, role] of Object.entries(roles)) {
          expect(
            await timelock.hasRole(role, signer.address),
            `${signer.address} ${name}`,
          ).to.equal(false);
        }
      }
      expect(await timelock.hasRole(roles.admin, deployer.address)).to.equal(false);
      // A zero-address executor would let anyone execute ready operations.
      expect(await timelock.hasRole(roles.executor, ethers.ZeroAddress)).to.equal(false);
    });

    it("makes the governor the only proposer, canceller and executor", async function () {
      const { timelock, governor } = await loadFixture(coopFixture);
      const governorAddress = await governor.getAddress();
      expect(await timelock.hasRole(await timelock.PROPOSER_ROLE(), governorAddress)).to.equal(
        true,
      );
      expect(await timelock.hasRole(await timelock.CANCELLER_ROLE(), governorAddress)).to.equal(
        true,
      );
      expect(await timelock.hasRole(await timelock.EXECUTOR_ROLE(), governorAddress)).to.equal(
        true,
      );
      expect(await timelock.hasRole(await timelock.DEFAULT_ADMIN_ROLE(), governorAddress)).to.equal(
        false,
      );
    });

    it("makes the timelock its own admin and the membership's owner", async function () {
      const { timelock, membership } = await loadFixture(coopFixture);
      const timelockAddress = await timelock.getAddress();
      const admin = await timelock.DEFAULT_ADMIN_ROLE();
      expect(await timelock.hasRole(admin, timelockAddress)).to.equal(true);
      for (const role of [
        admin,
        await timelock.PROPOSER_ROLE(),
        await timelock.CANCELLER_ROLE(),
        await timelock.EXECUTOR_ROLE(),
      ]) {
        expect(await timelock.getRoleAdmin(role)).to.equal(admin);
      }
      expect(await membership.owner()).to.equal(timelockAddress);
    });
  });

  describe("constructor", function () {
    async function deploy(settings: Partial<Record<keyof typeof SETTINGS, number>>) {
      const { membership, timelock } = await loadFixture(coopFixture);
      const factory = await ethers.getContractFactory("CoopGovernor");
      const all = { ...SETTINGS, ...settings };
      return {
        factory,
        deployment: factory.deploy(
          NAME,
          await membership.getAddress(),
          await timelock.getAddress(),
          {
            votingDelay: all.votingDelay,
            votingPeriod: all.votingPeriod,
            lateQuorumExtension: all.lateQuorumExtension,
            quorumPercent: all.quorumPercent,
          },
        ),
      };
    }

    for (const quorumPercent of [0, 4, 51, 100]) {
      it(`reverts when the quorum is ${quorumPercent} percent (outside 5 to 50)`, async function () {
        const { factory, deployment } = await deploy({ quorumPercent });
        await expect(deployment)
          .to.be.revertedWithCustomError(factory, "CoopGovernorInvalidQuorum")
          .withArgs(quorumPercent, 5n, 50n);
      });
    }

    for (const votingPeriod of [0, 299, 30 * 86_400 + 1]) {
      it(`reverts when the voting period is ${votingPeriod} seconds (outside 5 minutes to 30 days)`, async function () {
        const { factory, deployment } = await deploy({ votingPeriod, lateQuorumExtension: 0 });
        await expect(deployment)
          .to.be.revertedWithCustomError(factory, "CoopGovernorInvalidVotingPeriod")
          .withArgs(votingPeriod, 300n, 30n * 86_400n);
      });
    }

    it("reverts when the late-quorum extension is longer than the voting period", async function () {
      // The error must name the extension and its limit, as setLateQuorumVoteExtension does.
      const { factory, deployment } = await deploy({ votingPeriod: 100, lateQuorumExtension: 101 });
      await expect(deployment)
        .to.be.revertedWithCustomError(factory, "GovernorMemberCountingExtensionTooLarge")
        .withArgs(101n, 100n);
    });

    it("accepts a 50 percent quorum and an extension equal to the voting period", async function () {
      const { founders } = await loadFixture(coopFixture);
      const { governor } = await deployCoop(
        founders.map((founder) => founder.address),
        { quorumPercent: 50, votingPeriod: 300, lateQuorumExtension: 300 },
      );
      expect(await governor["quorumNumerator()"]()).to.equal(50n);
      expect(await governor.lateQuorumVoteExtension()).to.equal(300n);
    });
  });

  describe("propose", function () {
    it("lets any member propose, with voting delay and period in seconds", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, founders, applicant } = coop;
      const calls = [await admitCall(coop, applicant.address)];
      const description = "Admit the applicant";
      const proposer = founders[4];
      const tx = await governor
        .connect(proposer)
        .propose([calls[0].target], [0n], [calls[0].data], description);
      const createdAt = await minedAt(tx);
      // The co-op's first proposal is number 1.
      const id = 1n;
      expect(
        await governor.getProposalId(
          [calls[0].target],
          [0n],
          [calls[0].data],
          ethers.id(description),
        ),
      ).to.equal(id);
      const snapshot = createdAt + BigInt(SETTINGS.votingDelay);
      const deadline = snapshot + BigInt(SETTINGS.votingPeriod);
      await expect(tx)
        .to.emit(governor, "ProposalCreated")
        .withArgs(
          id,
          proposer.address,
          [calls[0].target],
          [0n],
          [""],
          [calls[0].data],
          snapshot,
          deadline,
          description,
        );
      expect(await governor.proposalSnapshot(id)).to.equal(snapshot);
      expect(await governor.proposalDeadline(id)).to.equal(deadline);
      expect(await governor.proposalProposer(id)).to.equal(proposer.address);
      expect(await governor.state(id)).to.equal(ProposalState.Pending);
    });

    it("reverts when a non-member proposes", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, outsider } = coop;
      const call = await admitCall(coop, outsider.address);
      await expect(governor.connect(outsider).propose([call.target], [0n], [call.data], "Admit me"))
        .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
        .withArgs(outsider.address, 0n, 1n);
    });

    it("reverts when a member who resigned proposes", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, membership, founders, applicant } = coop;
      await membership.connect(founders[1]).resign();
      await time.increase(1);
      const call = await admitCall(coop, applicant.address);
      await expect(governor.connect(founders[1]).propose([call.target], [0n], [call.data], "Admit"))
        .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
        .withArgs(founders[1].address, 0n, 1n);
    });

    it("reverts when the same proposal already exists", async function () {
      const { governor, founders, proposal } = await loadFixture(pendingProposalFixture);
      await expect(
        governor
          .connect(founders[1])
          .propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description),
      )
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(proposal.id, ProposalState.Pending, ethers.ZeroHash);
    });

    it("reverts when the proposal has no calls", async function () {
      const { governor, founders } = await loadFixture(coopFixture);
      await expect(governor.connect(founders[0]).propose([], [], [], "Nothing"))
        .to.be.revertedWithCustomError(governor, "GovernorInvalidProposalLength")
        .withArgs(0n, 0n, 0n);
    });
  });

  describe("castVote", function () {
    it("reverts when voting has not started", async function () {
      const { governor, founders, proposal } = await loadFixture(pendingProposalFixture);
      await expect(governor.connect(founders[0]).castVote(proposal.id, Vote.For))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(proposal.id, ProposalState.Pending, stateBitmap(ProposalState.Active));
    });

    it("reverts when voting has ended", async function () {
      const { governor, founders, proposal } = await loadFixture(activeProposalFixture);
      await endVoting(governor, proposal);
      await expect(governor.connect(founders[0]).castVote(proposal.id, Vote.For))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(proposal.id, ProposalState.Defeated, stateBitmap(ProposalState.Active));
    });

    it("reverts when the proposal does not exist", async function () {
      const { governor, founders } = await loadFixture(coopFixture);
      await expect(governor.connect(founders[0]).castVote(42n, Vote.For))
        .to.be.revertedWithCustomError(governor, "GovernorNonexistentProposal")
        .withArgs(42n);
    });

    it("reverts when the voter was not a member at the snapshot", async function () {
      const { governor, outsider, proposal } = await loadFixture(activeProposalFixture);
      const snapshot = await governor.proposalSnapshot(proposal.id);
      await expect(governor.connect(outsider).castVote(proposal.id, Vote.For))
        .to.be.revertedWithCustomError(governor, "GovernorMemberCountingNoVote")
        .withArgs(outsider.address, snapshot);
      expect(await governor.hasVoted(proposal.id, outsider.address)).to.equal(false);
    });

    it("reverts when the support value is not Against, For or Abstain", async function () {
      const { governor, founders, proposal } = await loadFixture(activeProposalFixture);
      for (const support of [3, 4, 255]) {
        await expect(
          governor.connect(founders[0]).castVote(proposal.id, support),
        ).to.be.revertedWithCustomError(governor, "GovernorInvalidVoteType");
      }
      expect(await governor.hasVoted(proposal.id, founders[0].address)).to.equal(false);
    });

    it("counts For, Against and Abstain, one vote per member", async function () {
      const { governor, founders, proposal } = await loadFixture(activeProposalFixture);
      const ballots: [number, Vote][] = [
        [0, Vote.For],
        [1, Vote.Against],
        [2, Vote.Abstain],
        [3, Vote.For],
      ];
      for (const [index, support] of ballots) {
        expect(await governor.hasVoted(proposal.id, founders[index].address)).to.equal(false);
        await expect(governor.connect(founders[index]).castVote(proposal.id, support))
          .to.emit(governor, "VoteCast")
          .withArgs(founders[index].address, proposal.id, support, 1n, "");
        expect(await governor.hasVoted(proposal.id, founders[index].address)).to.equal(true);
      }
      // GovernorCountingSimple's order: against, for, abstain.
      expect(await governor.proposalVotes(proposal.id)).to.deep.equal([1n, 2n, 1n]);
      expect(await governor.hasVoted(proposal.id, founders[4].address)).to.equal(false);
    });

    it("keeps voters apart across voter-bitmap words (member numbers 255, 256, 257)", async function () {
      const { governor, membership, founders, late, proposal } =
        await loadFixture(largeCoopFixture);
      expect(await Promise.all(late.map((m) => membership.memberIdOf(m.address)))).to.deep.equal([
        255n,
        256n,
        257n,
      ]);
      // 257 shares its bit position with member 1 and 256 with (unused) 0, in the next word.
      await governor.connect(late[2]).castVote(proposal.id, Vote.For);
      expect(await governor.hasVoted(proposal.id, late[2].address)).to.equal(true);
      expect(await governor.hasVoted(proposal.id, founders[0].address)).to.equal(false);
      await governor.connect(founders[0]).castVote(proposal.id, Vote.For);
      await governor.connect(late[1]).castVote(proposal.id, Vote.Against);
      expect(await governor.hasVoted(proposal.id, late[0].address)).to.equal(false);
      await governor.connect(late[0]).castVote(proposal.id, Vote.Abstain);
      for (const voter of [late[0], late[1], late[2], founders[0]]) {
        await expect(governor.connect(voter).castVote(proposal.id, Vote.For))
          .to.be.revertedWithCustomError(governor, "GovernorAlreadyCastVote")
          .withArgs(voter.address);
      }
      expect(await governor.hasVoted(proposal.id, founders[1].address)).to.equal(false);
      expect(await governor.proposalVotes(proposal.id)).to.deep.equal([1n, 2n, 1n]);
      // 257 members at 50 percent.
      expect(await governor.quorum(await governor.proposalSnapshot(proposal.id))).to.equal(129n);
    });

    it("emits the reason given with castVoteWithReason", async function () {
      const { governor, founders, proposal } = await loadFixture(activeProposalFixture);
      await expect(
        governor.connect(founders[1]).castVoteWithReason(proposal.id, Vote.Against, "too early"),
      )
        .to.emit(governor, "VoteCast")
        .withArgs(founders[1].address, proposal.id, Vote.Against, 1n, "too early");
      expect(await governor.proposalVotes(proposal.id)).to.deep.equal([1n, 0n, 0n]);
    });

    it("emits VoteCastWithParams for castVoteWithReasonAndParams", async function () {
      const { governor, founders, proposal } = await loadFixture(activeProposalFixture);
      await expect(
        governor
          .connect(founders[2])
          .castVoteWithReasonAndParams(proposal.id, Vote.Abstain, "unsure", "0xbeef"),
      )
        .to.emit(governor, "VoteCastWithParams")
        .withArgs(founders[2].address, proposal.id, Vote.Abstain, 1n, "unsure", "0xbeef");
      expect(await governor.proposalVotes(proposal.id)).to.deep.equal([0n, 0n, 1n]);
    });

    it("accepts votes at the deadline second and none after", async function () {
      const { governor, founders, proposal } = await loadFixture(activeProposalFixture);
      const deadline = await governor.proposalDeadline(proposal.id);
      await time.setNextBlockTimestamp(deadline);
      await governor.connect(founders[0]).castVote(proposal.id, Vote.Against);
      await expect(governor.connect(founders[1]).castVote(proposal.id, Vote.Against))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(proposal.id, ProposalState.Defeated, stateBitmap(ProposalState.Active));
    });
  });

  describe("quorum", function () {
    it("is the quorum share of the members at the snapshot, rounded up", async function () {
      const { governor, proposal } = await loadFixture(activeProposalFixture);
      // 5 members at 50 percent: 2.5, rounded up.
      expect(await governor.quorum(await governor.proposalSnapshot(proposal.id))).to.equal(3n);
    });

    it("rounds every share up to whole members", async function () {
      const { founders } = await loadFixture(coopFixture);
      const expected: [number, bigint][] = [
        [5, 1n],
        [20, 1n],
        [21, 2n],
        [40, 2n],
        [41, 3n],
        [50, 3n],
      ];
      for (const [quorumPercent, members] of expected) {
        const { governor } = await deployCoop(
          founders.map((founder) => founder.address),
          { quorumPercent },
        );
        await time.increase(1);
        const past = BigInt(await time.latest()) - 1n;
        expect(await governor.quorum(past), `${quorumPercent}%`).to.equal(members);
      }
    });

    it("counts Abstain towards quorum", async function () {
      const { governor, founders, proposal } = await loadFixture(activeProposalFixture);
      await castVotes(governor, proposal, founders.slice(0, 2), Vote.For);
      await castVotes(governor, proposal, [founders[2]], Vote.Abstain);
      await endVoting(governor, proposal);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Succeeded);
    });

    it("does not count Against towards quorum", async function () {
      const { governor, founders, proposal } = await loadFixture(activeProposalFixture);
      await castVotes(governor, proposal, founders.slice(0, 2), Vote.For);
      await castVotes(governor, proposal, [founders[2]], Vote.Against);
      await endVoting(governor, proposal);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Defeated);
    });

    it("defeats a tie once quorum is reached", async function () {
      const { governor, founders, proposal } = await loadFixture(activeProposalFixture);
      await castVotes(governor, proposal, founders.slice(0, 2), Vote.For);
      await castVotes(governor, proposal, founders.slice(2, 4), Vote.Against);
      await castVotes(governor, proposal, [founders[4]], Vote.Abstain);
      await endVoting(governor, proposal);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Defeated);
    });
  });

  describe("state", function () {
    it("goes Pending → Active → Succeeded → Queued → Executed", async function () {
      const { governor, membership, timelock, founders, applicant, proposal } =
        await loadFixture(pendingProposalFixture);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Pending);
      await timeTravelTo(await governor.proposalSnapshot(proposal.id));
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Pending);
      await time.increase(1);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Active);

      await castVotes(governor, proposal, founders.slice(0, 3));
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Active);
      await endVoting(governor, proposal);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Succeeded);
      expect(await governor.proposalNeedsQueuing(proposal.id)).to.equal(true);

      const queueTx = await queue(governor, proposal);
      const eta = (await minedAt(queueTx)) + BigInt(SETTINGS.timelockDelay);
      await expect(queueTx).to.emit(governor, "ProposalQueued").withArgs(proposal.id, eta);
      expect(await governor.proposalEta(proposal.id)).to.equal(eta);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Queued);

      await timeTravelTo(eta);
      const executeTx = await execute(governor, proposal);
      await expect(executeTx).to.emit(governor, "ProposalExecuted").withArgs(proposal.id);
      await expect(executeTx).to.emit(membership, "MemberAdmitted").withArgs(applicant.address, 6n);
      await expect(executeTx).to.emit(timelock, "CallExecuted");
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Executed);
      expect(await membership.isMember(applicant.address)).to.equal(true);
    });

    it("is Defeated without quorum, and a defeated proposal cannot be queued", async function () {
      const { governor, founders, proposal } = await loadFixture(activeProposalFixture);
      await castVotes(governor, proposal, founders.slice(0, 2));
      await endVoting(governor, proposal);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Defeated);
      await expect(queue(governor, proposal))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(proposal.id, ProposalState.Defeated, stateBitmap(ProposalState.Succeeded));
    });

    it("is Defeated when Against outnumbers For", async function () {
      const { governor, founders, proposal } = await loadFixture(activeProposalFixture);
      await castVotes(governor, proposal, founders.slice(0, 2), Vote.For);
      await castVotes(governor, proposal, founders.slice(2, 5), Vote.Against);
      await endVoting(governor, proposal);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Defeated);
    });

    it("is Canceled when the proposer cancels before voting starts", async function () {
      const { governor, founders, proposal } = await loadFixture(pendingProposalFixture);
      await expect(
        governor
          .connect(founders[0])
          .cancel(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash),
      )
        .to.emit(governor, "ProposalCanceled")
        .withArgs(proposal.id);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Canceled);
    });

    it("reverts when the proposal does not exist", async function () {
      const { governor } = await loadFixture(coopFixture);
      await expect(governor.state(7n))
        .to.be.revertedWithCustomError(governor, "GovernorNonexistentProposal")
        .withArgs(7n);
    });
  });

  describe("execute", function () {
    it("reverts when the proposal was not queued", async function () {
      const { governor, founders, proposal } = await loadFixture(activeProposalFixture);
      await castVotes(governor, proposal, founders.slice(0, 3));
      await endVoting(governor, proposal);
      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(proposal.id, ProposalState.Succeeded, stateBitmap(ProposalState.Queued));
    });

    it("reverts when the proposal was already executed", async function () {
      const coop = await loadFixture(pendingProposalFixture);
      const { governor, founders, proposal } = coop;
      await startVoting(governor, proposal);
      await castVotes(governor, proposal, founders.slice(0, 3));
      await endVoting(governor, proposal);
      await queue(governor, proposal);
      await timeTravelTo(await governor.proposalEta(proposal.id));
      await execute(governor, proposal);
      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(proposal.id, ProposalState.Executed, stateBitmap(ProposalState.Queued));
    });
  });

  describe("late quorum", function () {
    it("extends voting when quorum is first reached near the deadline", async function () {
      const { governor, founders, proposal } = await loadFixture(activeProposalFixture);
      const deadline = await governor.proposalDeadline(proposal.id);
      await castVotes(governor, proposal, founders.slice(0, 2));
      await time.setNextBlockTimestamp(deadline - 10n);
      const tx = await governor.connect(founders[2]).castVote(proposal.id, Vote.For);
      const reachedAt = deadline - 10n;
      const extended = reachedAt + BigInt(SETTINGS.lateQuorumExtension);
      await expect(tx).to.emit(governor, "ProposalExtended").withArgs(proposal.id, extended);
      expect(await governor.proposalDeadline(proposal.id)).to.equal(extended);

      await timeTravelTo(deadline + 1n);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Active);
      await timeTravelTo(extended);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Active);
      await time.increase(1);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Succeeded);
    });

    it("extends from the deadline second when quorum is reached then", async function () {
      const { governor, founders, proposal } = await loadFixture(activeProposalFixture);
      const deadline = await governor.proposalDeadline(proposal.id);
      await castVotes(governor, proposal, [founders[0]], Vote.For);
      await castVotes(governor, proposal, [founders[1]], Vote.Abstain);
      await time.setNextBlockTimestamp(deadline);
      const extended = deadline + BigInt(SETTINGS.lateQuorumExtension);
      await expect(governor.connect(founders[2]).castVote(proposal.id, Vote.For))
        .to.emit(governor, "ProposalExtended")
        .withArgs(proposal.id, extended);
      expect(await governor.proposalDeadline(proposal.id)).to.equal(extended);
    });

    it("does not extend when quorum is reached early", async function () {
      const { governor, founders, proposal } = await loadFixture(activeProposalFixture);
      const deadline = await governor.proposalDeadline(proposal.id);
      await castVotes(governor, proposal, founders.slice(0, 2));
      await expect(governor.connect(founders[2]).castVote(proposal.id, Vote.For)).not.to.emit(
        governor,
        "ProposalExtended",
      );
      expect(await governor.proposalDeadline(proposal.id)).to.equal(deadline);
      await endVoting(governor, proposal);
      expect(BigInt(await time.latest())).to.equal(deadline + 1n);
      expect(await governor.state(proposal.id)).to.equal(ProposalState.Succeeded);
    });

    it("extends only once, on the vote that first reaches quorum", async function () {
      const { governor, founders, proposal } = await loadFixture(activeProposalFixture);
      const deadline = await governor.proposalDeadline(proposal.id);
      await castVotes(governor, proposal, founders.slice(0, 2));
      await time.setNextBlockTimestamp(deadline - 5n);
      await governor.connect(founders[2]).castVote(proposal.id, Vote.For);
      const extended = deadline - 5n + BigInt(SETTINGS.lateQuorumExtension);
      await time.setNextBlockTimestamp(extended);
      await expect(governor.connect(founders[3]).castVote(proposal.id, Vote.Abstain)).not.to.emit(
        governor,
        "ProposalExtended",
      );
      expect(await governor.proposalDeadline(proposal.id)).to.equal(extended);
    });

    it("does not extend while quorum is not reached", async function () {
      const { governor, founders, proposal } = await loadFixture(activeProposalFixture);
      const deadline = await governor.proposalDeadline(proposal.id);
      await time.setNextBlockTimestamp(deadline - 1n);
      await governor.connect(founders[0]).castVote(proposal.id, Vote.For);
      await expect(governor.connect(founders[1]).castVote(proposal.id, Vote.Against)).not.to.emit(
        governor,
        "ProposalExtended",
      );
      expect(await governor.proposalDeadline(proposal.id)).to.equal(deadline);
    });
  });

  describe("castVoteBySig", function () {
    it("counts a ballot signed by a member and relayed by anyone", async function () {
      const { governor, founders, relayer, proposal } = await loadFixture(activeProposalFixture);
      const voter = founders[3];
      const signature = await signBallot(governor, voter, proposal.id, Vote.For);
      const balanceBefore = await ethers.provider.getBalance(voter.address);

      await expect(
        governor.connect(relayer).castVoteBySig(proposal.id, Vote.For, voter.address, signature),
      )
        .to.emit(governor, "VoteCast")
        .withArgs(voter.address, proposal.id, Vote.For, 1n, "");
      expect(await governor.hasVoted(proposal.id, voter.address)).to.equal(true);
      expect(await governor.proposalVotes(proposal.id)).to.deep.equal([0n, 1n, 0n]);
      // No nonce is written: the vote itself refuses a replay.
      expect(await governor.nonces(voter.address)).to.equal(0n);
      expect(await ethers.provider.getBalance(voter.address)).to.equal(balanceBefore);
    });

    it("accepts ballots signed for two proposals at once, relayed in either order", async function () {
      const coop = await loadFixture(activeProposalFixture);
      const { governor, founders, relayer, outsider } = coop;
      const second = await propose(
        governor,
        founders[1],
        [await admitCall(coop, outsider.address)],
        "Admit the outsider",
      );
      await startVoting(governor, second);
      const voter = founders[2];

      for (const order of [
        [coop.proposal, second],
        [second, coop.proposal],
      ]) {
        const snapshot = await networkHelpers.takeSnapshot();
        // Both signed before either is relayed.
        const signatures = [
          await signBallot(governor, voter, order[0].id, Vote.For),
          await signBallot(governor, voter, order[1].id, Vote.Against),
        ];
        await governor
          .connect(relayer)
          .castVoteBySig(order[1].id, Vote.Against, voter.address, signatures[1]);
        await governor
          .connect(relayer)
          .castVoteBySig(order[0].id, Vote.For, voter.address, signatures[0]);
        expect(await governor.proposalVotes(order[0].id)).to.deep.equal([0n, 1n, 0n]);
        expect(await governor.proposalVotes(order[1].id)).to.deep.equal([1n, 0n, 0n]);
        await snapshot.restore();
      }
    });

    it("reverts when a ballot carries a nonce other than 0", async function () {
      const { governor, founders, relayer, proposal } = await loadFixture(activeProposalFixture);
      const voter = founders[0];
      const signature = await signBallot(governor, voter, proposal.id, Vote.Abstain, { nonce: 1n });
      await expect(
        governor
          .connect(relayer)
          .castVoteBySig(proposal.id, Vote.Abstain, voter.address, signature),
      )
        .to.be.revertedWithCustomError(governor, "GovernorInvalidSignature")
        .withArgs(voter.address);
    });

    it("counts a signed ballot with a reason (castVoteWithReasonAndParamsBySig)", async function () {
      const { governor, founders, relayer, proposal } = await loadFixture(activeProposalFixture);
      const voter = founders[1];
      const nonce = BALLOT_NONCE;
      const signature = await voter.signTypedData(
        await ballotDomain(governor),
        EXTENDED_BALLOT_TYPES,
        {
          proposalId: proposal.id,
          support: Vote.Against,
          voter: voter.address,
          nonce,
          reason: "not yet",
          params: "0x",
        },
      );
      await expect(
        governor
          .connect(relayer)
          .castVoteWithReasonAndParamsBySig(
            proposal.id,
            Vote.Against,
            voter.address,
            "not yet",
            "0x",
            signature,
          ),
      )
        .to.emit(governor, "VoteCast")
        .withArgs(voter.address, proposal.id, Vote.Against, 1n, "not yet");
    });

    it("reverts when a non-member signs for themselves", async function () {
      const { governor, outsider, relayer, proposal } = await loadFixture(activeProposalFixture);
      const signature = await signBallot(governor, outsider, proposal.id, Vote.For);
      await expect(
        governor.connect(relayer).castVoteBySig(proposal.id, Vote.For, outsider.address, signature),
      )
        .to.be.revertedWithCustomError(governor, "GovernorMemberCountingNoVote")
        .withArgs(outsider.address, await governor.proposalSnapshot(proposal.id));
    });
  });

  describe("setVotingDelay", function () {
    it("reverts when the new delay is longer than 30 days", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, founders } = coop;
      const tooLong = 30 * 86_400 + 1;
      const data = governor.interface.encodeFunctionData("setVotingDelay", [tooLong]);
      const proposal = await passAndQueue(
        coop,
        founders[0],
        founders.slice(0, 3),
        [{ target: await governor.getAddress(), data }],
        "Voting delay beyond the limit",
      );
      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(governor, "CoopGovernorInvalidVotingDelay")
        .withArgs(tooLong, 30n * 86_400n);
      expect(await governor.votingDelay()).to.equal(BigInt(SETTINGS.votingDelay));
    });

    it("reverts when called directly", async function () {
      const { governor, founders, deployer } = await loadFixture(coopFixture);
      for (const caller of [founders[0], deployer]) {
        await expect(governor.connect(caller).setVotingDelay(1))
          .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
          .withArgs(caller.address);
      }
    });

    it("changes the delay of later proposals through a passed vote", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, founders, applicant } = coop;
      const data = governor.interface.encodeFunctionData("setVotingDelay", [30]);
      const proposal = await passAndQueue(
        coop,
        founders[0],
        founders.slice(0, 3),
        [{ target: await governor.getAddress(), data }],
        "Shorter voting delay",
      );
      await expect(execute(governor, proposal))
        .to.emit(governor, "VotingDelaySet")
        .withArgs(SETTINGS.votingDelay, 30n);
      expect(await governor.votingDelay()).to.equal(30n);

      const call = await admitCall(coop, applicant.address);
      const tx = await governor
        .connect(founders[1])
        .propose([call.target], [0n], [call.data], "Admit the applicant");
      const id = await governor.getProposalId(
        [call.target],
        [0n],
        [call.data],
        ethers.id("Admit the applicant"),
      );
      expect(await governor.proposalSnapshot(id)).to.equal((await minedAt(tx)) + 30n);
    });
  });

  describe("setVotingPeriod", function () {
    it("reverts when called directly", async function () {
      const { governor, founders } = await loadFixture(coopFixture);
      await expect(governor.connect(founders[0]).setVotingPeriod(1000))
        .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
        .withArgs(founders[0].address);
    });

    it("changes the period of later proposals through a passed vote", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, founders, applicant } = coop;
      const data = governor.interface.encodeFunctionData("setVotingPeriod", [900]);
      const proposal = await passAndQueue(
        coop,
        founders[0],
        founders.slice(0, 3),
        [{ target: await governor.getAddress(), data }],
        "Longer voting period",
      );
      await expect(execute(governor, proposal))
        .to.emit(governor, "VotingPeriodSet")
        .withArgs(SETTINGS.votingPeriod, 900n);
      expect(await governor.votingPeriod()).to.equal(900n);

      const next = await propose(
        governor,
        founders[1],
        [await admitCall(coop, applicant.address)],
        "Admit the applicant",
      );
      expect(await governor.proposalDeadline(next.id)).to.equal(
        (await governor.proposalSnapshot(next.id)) + 900n,
      );
    });

    for (const period of [0, 299, 30 * 86_400 + 1, 3 * 86_400_000]) {
      it(`reverts when the new period is ${period} (outside 5 minutes to 30 days)`, async function () {
        const coop = await loadFixture(coopFixture);
        const { governor, founders } = coop;
        const data = governor.interface.encodeFunctionData("setVotingPeriod", [period]);
        const proposal = await passAndQueue(
          coop,
          founders[0],
          founders.slice(0, 3),
          [{ target: await governor.getAddress(), data }],
          `Voting period ${period}`,
        );
        await expect(execute(governor, proposal))
          .to.be.revertedWithCustomError(governor, "CoopGovernorInvalidVotingPeriod")
          .withArgs(period, 300n, 30n * 86_400n);
        expect(await governor.votingPeriod()).to.equal(BigInt(SETTINGS.votingPeriod));
      });
    }
  });

  describe("setLateQuorumVoteExtension", function () {
    it("reverts when called directly", async function () {
      const { governor, founders } = await loadFixture(coopFixture);
      await expect(governor.connect(founders[0]).setLateQuorumVoteExtension(10))
        .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
        .withArgs(founders[0].address);
    });

    it("changes the extension through a passed vote", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, founders } = coop;
      const data = governor.interface.encodeFunctionData("setLateQuorumVoteExtension", [600]);
      const proposal = await passAndQueue(
        coop,
        founders[0],
        founders.slice(0, 3),
        [{ target: await governor.getAddress(), data }],
        "Longer late-quorum extension",
      );
      await expect(execute(governor, proposal))
        .to.emit(governor, "LateQuorumVoteExtensionSet")
        .withArgs(SETTINGS.lateQuorumExtension, 600n);
      expect(await governor.lateQuorumVoteExtension()).to.equal(600n);
    });

    it("reverts when the extension is longer than the voting period", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, founders } = coop;
      const tooLong = SETTINGS.votingPeriod + 1;
      const data = governor.interface.encodeFunctionData("setLateQuorumVoteExtension", [tooLong]);
      const proposal = await passAndQueue(
        coop,
        founders[0],
        founders.slice(0, 3),
        [{ target: await governor.getAddress(), data }],
        "Too long an extension",
      );
      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(governor, "GovernorMemberCountingExtensionTooLarge")
        .withArgs(tooLong, SETTINGS.votingPeriod);
    });
  });

  describe("updateQuorumNumerator", function () {
    it("reverts when called directly", async function () {
      const { governor, founders } = await loadFixture(coopFixture);
      await expect(governor.connect(founders[0]).updateQuorumNumerator(10))
        .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
        .withArgs(founders[0].address);
    });

    it("changes the quorum of later proposals through a passed vote", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, founders, applicant } = coop;
      const data = governor.interface.encodeFunctionData("updateQuorumNumerator", [20]);
      const proposal = await passAndQueue(
        coop,
        founders[0],
        founders.slice(0, 3),
        [{ target: await governor.getAddress(), data }],
        "Quorum 20 percent",
      );
      await expect(execute(governor, proposal))
        .to.emit(governor, "QuorumNumeratorUpdated")
        .withArgs(SETTINGS.quorumPercent, 20n);
      const next = await propose(
        governor,
        founders[1],
        [await admitCall(coop, applicant.address)],
        "Admit the applicant",
      );
      await startVoting(governor, next);
      expect(await governor.quorum(await governor.proposalSnapshot(next.id))).to.equal(1n);
      await castVotes(governor, next, founders.slice(0, 1));
      await endVoting(governor, next);
      expect(await governor.state(next.id)).to.equal(ProposalState.Succeeded);
    });

    for (const percent of [0, 4, 51, 100]) {
      it(`reverts when the new quorum is ${percent} percent (outside 5 to 50)`, async function () {
        const coop = await loadFixture(coopFixture);
        const { governor, founders } = coop;
        const data = governor.interface.encodeFunctionData("updateQuorumNumerator", [percent]);
        const proposal = await passAndQueue(
          coop,
          founders[0],
          founders.slice(0, 3),
          [{ target: await governor.getAddress(), data }],
          `Quorum ${percent} percent`,
        );
        await expect(execute(governor, proposal))
          .to.be.revertedWithCustomError(governor, "CoopGovernorInvalidQuorum")
          .withArgs(percent, 5n, 50n);
      });
    }
  });

  describe("updateTimelock", function () {
    it("reverts when called directly", async function () {
      const { governor, founders, outsider } = await loadFixture(coopFixture);
      await expect(governor.connect(founders[0]).updateTimelock(outsider.address))
        .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
        .withArgs(founders[0].address);
    });
  });

  describe("receive", function () {
    it("reverts when ETH is sent to the governor (the timelock holds the treasury)", async function () {
      const { governor, founders } = await loadFixture(coopFixture);
      await expect(
        founders[0].sendTransaction({ to: await governor.getAddress(), value: 1n }),
      ).to.be.revertedWithCustomError(governor, "GovernorDisabledDeposit");
    });
  });

  describe("onlyGovernance", function () {
    it("reverts when the timelock calls outside an executing proposal", async function () {
      const { governor, timelock } = await loadFixture(coopFixture);
      const timelockSigner = await asTimelock(timelock);
      // The governor only accepts calls it queued for an executing proposal (empty queue: panic 0x31).
      await expect(governor.connect(timelockSigner).setVotingDelay(1)).to.be.revertedWithPanic(
        0x31,
      );
    });
  });
});

describe("TimelockController", function () {
  describe("updateDelay", function () {
    it("reverts when anyone but the timelock itself calls it", async function () {
      const { timelock, founders, deployer } = await loadFixture(coopFixture);
      for (const caller of [founders[0], deployer]) {
        await expect(timelock.connect(caller).updateDelay(1))
          .to.be.revertedWithCustomError(timelock, "TimelockUnauthorizedCaller")
          .withArgs(caller.address);
      }
    });

    it("changes the delay through a passed vote", async function () {
      const coop = await loadFixture(coopFixture);
      const { governor, timelock, founders, applicant } = coop;
      const data = timelock.interface.encodeFunctionData("updateDelay", [600]);
      const proposal = await passAndQueue(
        coop,
        founders[0],
        founders.slice(0, 3),
        [{ target: await timelock.getAddress(), data }],
        "Longer timelock delay",
      );
      await expect(execute(governor, proposal))
        .to.emit(timelock, "MinDelayChange")
        .withArgs(SETTINGS.timelockDelay, 600n);
      expect(await timelock.getMinDelay()).to.equal(600n);

      const next = await propose(
        governor,
        founders[1],
        [await admitCall(coop, applicant.address)],
        "Admit the applicant",
      );
      await startVoting(governor, next);
      await castVotes(governor, next, founders.slice(0, 3));
      await endVoting(governor, next);
      const queueTx = await queue(governor, next);
      expect(await governor.proposalEta(next.id)).to.equal((await minedAt(queueTx)) + 600n);
    });
  });
});
