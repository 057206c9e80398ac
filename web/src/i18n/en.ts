/** English: the reference dictionary. Every other language must have exactly these keys. */
import { PURPOSES, type PurposeKey } from "../../../shared/purposes.generated.ts";

export const en = {
  "app.name": "DataCoop",
  "config.failed": "The app could not start:",
  "lang.label": "Language",
  "nav.label": "Main",
  "nav.membership": "Membership",
  "nav.consent": "My consent",
  "nav.proposals": "Votes",
  "footer.network": "Co-op on {network} (network {chainId})",
  "read.loading": "Loading…",
  "read.failed": "Could not read from the network. Check your connection and try again.",

  "wallet.connect": "Connect a wallet",
  "wallet.explain":
    "Your wallet proves who you are. Connecting shares only your public address; nothing is signed.",
  "wallet.browser": "Browser wallet",
  "wallet.none": "No browser wallet found. Install one (for example MetaMask) to take part.",
  "wallet.demo.title": "Try it with a demo account",
  "wallet.demo.explain":
    "Test accounts of this local co-op. Their keys are public: for trying things out only.",
  "wallet.demo.founder": "Founder {n}",
  "wallet.demo.visitor": "Visitor {n}",
  "wallet.signedInAs": "Signed in: {who}",
  "wallet.disconnect": "Disconnect",
  "wallet.connectFailed": "Could not connect:",

  "network.wrong":
    "Your wallet is on another network ({current}). This co-op runs on {network} (network {chainId}); nothing will be signed until you switch.",
  "network.switch": "Switch to {network}",

  "tx.review.title": "Before you sign",
  "tx.review.meaning":
    "Your wallet will ask you to sign this change on {network}. Signing records it publicly in the co-op's ledger, under your address, and may cost a small network fee. Only you can sign it.",
  "tx.review.confirm": "Sign in my wallet",
  "tx.review.cancel": "Cancel",
  "tx.wallet": "Waiting for your wallet… Check it to sign or refuse.",
  "tx.mining": "Sent ({hash}). Waiting for the network to confirm…",
  "tx.success": "Done: confirmed in block {block}.",
  "tx.dismiss": "Close",
  "tx.retry": "Try again",
  "tx.error.rejected": "You refused in your wallet; nothing changed.",
  "tx.error.chain": "Your wallet is not on {network}; nothing was signed.",
  "tx.error.failed": "It did not go through; nothing changed.",
  "tx.error.reason": "Reason given by the co-op's rules:",

  "membership.title": "Membership",
  "membership.count": "Members today",
  "membership.connectFirst": "Connect a wallet to see your own status.",
  "membership.youAreMember": "You are member number {id}.",
  "membership.since": "Member since {date}.",
  "membership.oneVote": "You have one vote, like every member.",
  "membership.notMember": "You are not a member.",
  "membership.formerMember": "You were member number {id}; you would get the same number back.",
  "membership.apply.label": "Apply to join",
  "membership.apply.hint":
    "A link to your application (a web page or a document). The members vote on it.",
  "membership.apply.invalid": "Enter a link starting with https://, http://, ipfs:// or ar://.",
  "membership.apply.submit": "Send my application",
  "membership.apply.summary": "Apply to join the co-op with the application at {uri}.",

  "consent.title": "My consent",
  "consent.intro":
    "Choose what your data may be used for. Nothing is allowed until you say so, and you can withdraw at any time: every later use follows your choice.",
  "consent.membersOnly": "Only members' consent counts. Join the co-op to set yours.",
  "consent.allowed": "Allowed",
  "consent.notAllowed": "Not allowed",
  "consent.save": "Save my choices",
  "consent.undo": "Undo changes",
  "consent.withdrawAll": "Withdraw all consent",
  "consent.summary.allow": "Allow your data to be used for: {purposes}.",
  "consent.summary.withdraw": "Stop allowing: {purposes}.",
  "consent.summary.withdrawAll": "Withdraw your consent for every purpose.",

  "proposals.title": "Votes",
  "proposals.intro":
    "Every decision of the co-op is a vote of its members. Open a proposal by its number.",
  "proposals.none": "No proposals yet.",
  "proposals.untitled": "(no title)",
  "proposal.description": "What it is about",
  "proposal.noVoteAtSnapshot":
    "Only those who were members when voting opened can vote on this proposal.",
  "proposal.lookup.label": "Proposal number",
  "proposal.lookup.open": "Open",
  "proposal.lookup.invalid": "A proposal number is a whole number (or a 0x… hexadecimal number).",
  "proposal.title": "Proposal {id}",
  "proposal.unknown": "There is no proposal with this number.",
  "proposal.proposer": "Proposed by {address}",
  "proposal.opensIn": "Voting opens in {time}",
  "proposal.closesIn": "Voting closes in {time}",
  "proposal.closed": "Voting is closed",
  "proposal.tallies": "Votes so far",
  "proposal.quorum": "Turnout needed",
  "proposal.quorumProgress": "{votes} of the {quorum} votes needed (For and Abstain count).",
  "proposal.quorumReached": "Turnout reached: {votes} votes, {quorum} needed.",
  "proposal.quorumLater": "Known once voting opens.",
  "proposal.yourVote": "Your vote",
  "proposal.alreadyVoted": "You have voted on this proposal.",
  "proposal.vote.summary": "Vote “{choice}” on proposal {id}. A vote cannot be changed.",

  "vote.for": "For",
  "vote.against": "Against",
  "vote.abstain": "Abstain",

  "state.pending": "Not open yet",
  "state.active": "Open for votes",
  "state.canceled": "Canceled",
  "state.defeated": "Rejected",
  "state.succeeded": "Passed",
  "state.queued": "Passed, waiting to take effect",
  "state.expired": "Passed, but expired",
  "state.executed": "Carried out",

  "time.days": "d",
  "time.hours": "h",
  "time.minutes": "min",
  "time.seconds": "s",
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

export type PurposeTexts = Record<PurposeKey, { label: string; description: string }>;

/** English purpose texts come from the generated table (contracts/libraries/Purposes.sol). */
export const enPurposes = Object.fromEntries(
  PURPOSES.map((p) => [p.key, { label: p.label, description: p.description }]),
) as PurposeTexts;
