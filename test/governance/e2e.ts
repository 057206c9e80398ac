import { expect } from "chai";
import {
  castVotes,
  coopFixture,
  endVoting,
  ethers,
  execute,
  minedAt,
  networkHelpers,
  propose,
  ProposalState,
  queue,
  SETTINGS,
  signBallot,
  startVoting,
  stateBitmap,
  time,
  timeTravelTo,
  Vote,
} from "./fixtures.js";

describe("A co-op's first decisions (end to end)", function () {
  it("admits a sixth member by vote, who then helps pass the next proposal", async function () {
    const { membership, governor, timelock, founders, applicant, outsider, relayer } =
      await networkHelpers.loadFixture(coopFixture);
    const membershipAddress = await membership.getAddress();

    // The applicant asks to join; a founder turns the application into a proposal.
    await expect(membership.connect(applicant).applyForMembership("ipfs://applicant-profile"))
      .to.emit(membership, "MembershipApplied")
      .withArgs(applicant.address, "ipfs://applicant-profile");
    const admitApplicant = await propose(
      governor,
      founders[0],
      [
        {
          target: membershipAddress,
          data: membership.interface.encodeFunctionData("admit", [applicant.address]),
        },
      ],
      "Admit the applicant (ipfs://applicant-profile)",
    );
    expect(await governor.state(admitApplicant.id)).to.equal(ProposalState.Pending);

    // Voting: on-chain and, for one founder, gasless through the relayer.
    await startVoting(governor, admitApplicant);
    expect(await governor.state(admitApplicant.id)).to.equal(ProposalState.Active);
    await castVotes(governor, admitApplicant, founders.slice(0, 2), Vote.For);
    await castVotes(governor, admitApplicant, [founders[3]], Vote.Against);
    await castVotes(governor, admitApplicant, [founders[4]], Vote.Abstain);
    const ballot = await signBallot(governor, founders[2], admitApplicant.id, Vote.For);
    await governor
      .connect(relayer)
      .castVoteBySig(admitApplicant.id, Vote.For, founders[2].address, ballot);
    expect(await governor.proposalVotes(admitApplicant.id)).to.deep.equal([1n, 3n, 1n]);

    await endVoting(governor, admitApplicant);
    expect(await governor.state(admitApplicant.id)).to.equal(ProposalState.Succeeded);

    // Queue, then wait out the timelock delay.
    const queued = await queue(governor, admitApplicant);
    const eta = (await minedAt(queued)) + BigInt(SETTINGS.timelockDelay);
    await expect(queued).to.emit(governor, "ProposalQueued").withArgs(admitApplicant.id, eta);
    expect(await governor.state(admitApplicant.id)).to.equal(ProposalState.Queued);
    await time.setNextBlockTimestamp(eta - 1n);
    await expect(execute(governor, admitApplicant)).to.be.revertedWithCustomError(
      timelock,
      "TimelockUnexpectedOperationState",
    );

    await timeTravelTo(eta);
    const executed = await execute(governor, admitApplicant);
    await expect(executed).to.emit(governor, "ProposalExecuted").withArgs(admitApplicant.id);
    await expect(executed).to.emit(membership, "MemberAdmitted").withArgs(applicant.address, 6n);
    expect(await governor.state(admitApplicant.id)).to.equal(ProposalState.Executed);
    expect(await membership.isMember(applicant.address)).to.equal(true);
    expect(await membership.memberCount()).to.equal(6n);
    expect(await membership.memberSince(applicant.address)).to.equal(await minedAt(executed));

    // The new member proposes the next admission and votes on it; 6 members → quorum 3.
    await time.increase(1);
    const admitOutsider = await propose(
      governor,
      applicant,
      [
        {
          target: membershipAddress,
          data: membership.interface.encodeFunctionData("admit", [outsider.address]),
        },
      ],
      `Admit the outsider#proposer=${applicant.address}`,
    );
    await startVoting(governor, admitOutsider);
    expect(await governor.quorum(await governor.proposalSnapshot(admitOutsider.id))).to.equal(3n);
    await expect(governor.connect(applicant).castVote(admitOutsider.id, Vote.For))
      .to.emit(governor, "VoteCast")
      .withArgs(applicant.address, admitOutsider.id, Vote.For, 1n, "");
    await castVotes(governor, admitOutsider, founders.slice(0, 2), Vote.For);
    await castVotes(governor, admitOutsider, founders.slice(2, 4), Vote.Against);
    expect(await governor.proposalVotes(admitOutsider.id)).to.deep.equal([2n, 3n, 0n]);

    await endVoting(governor, admitOutsider);
    expect(await governor.state(admitOutsider.id)).to.equal(ProposalState.Succeeded);
    await queue(governor, admitOutsider);
    await timeTravelTo(await governor.proposalEta(admitOutsider.id));
    await expect(execute(governor, admitOutsider))
      .to.emit(membership, "MemberAdmitted")
      .withArgs(outsider.address, 7n);
    expect(await governor.state(admitOutsider.id)).to.equal(ProposalState.Executed);
    expect(await membership.memberCount()).to.equal(7n);
    expect(await membership.lastMemberId()).to.equal(7n);

    // The executed proposal cannot run twice, and nobody kept a key to the timelock.
    await expect(execute(governor, admitOutsider))
      .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
      .withArgs(admitOutsider.id, ProposalState.Executed, stateBitmap(ProposalState.Queued));
    for (const signer of await ethers.getSigners()) {
      expect(await timelock.hasRole(await timelock.DEFAULT_ADMIN_ROLE(), signer.address)).to.equal(
        false,
      );
    }
  });

  it("without the sixth member's vote the same proposal would have failed", async function () {
    const { membership, governor, timelock, founders, applicant, outsider } =
      await networkHelpers.loadFixture(coopFixture);
    const membershipAddress = await membership.getAddress();
    // Admit the applicant through a vote, as above but brief.
    const admitApplicant = await propose(
      governor,
      founders[0],
      [
        {
          target: membershipAddress,
          data: membership.interface.encodeFunctionData("admit", [applicant.address]),
        },
      ],
      "Admit the applicant",
    );
    await startVoting(governor, admitApplicant);
    await castVotes(governor, admitApplicant, founders.slice(0, 3));
    await endVoting(governor, admitApplicant);
    await queue(governor, admitApplicant);
    await timeTravelTo(await governor.proposalEta(admitApplicant.id));
    await execute(governor, admitApplicant);
    await time.increase(1);

    const admitOutsider = await propose(
      governor,
      founders[1],
      [
        {
          target: membershipAddress,
          data: membership.interface.encodeFunctionData("admit", [outsider.address]),
        },
      ],
      "Admit the outsider",
    );
    await startVoting(governor, admitOutsider);
    await castVotes(governor, admitOutsider, founders.slice(0, 2), Vote.For);
    await endVoting(governor, admitOutsider);
    expect(await governor.state(admitOutsider.id)).to.equal(ProposalState.Defeated);
    expect(await membership.isMember(outsider.address)).to.equal(false);
    expect(await timelock.getMinDelay()).to.equal(BigInt(SETTINGS.timelockDelay));
  });
});
