/**
 * English: the reference dictionary. Every other language must have exactly these keys, the same
 * placeholders, and for each text with plural forms the forms its own language needs (Intl.PluralRules).
 */
import { PURPOSES, type PurposeKey } from "@datacoop/protocol/purposes.generated";

/** A text whose words follow a count (`{count}`): one form per plural category of the language. */
export type Plural = {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
};
export type Message = string | Plural;

export const en = {
  "app.name": "DataCoop",
  "config.failed": "The app could not start:",
  "lang.label": "Language",
  "nav.label": "Main",
  "nav.skip": "Skip to the content",
  "nav.home": "Home",
  "nav.membership": "Members",
  "nav.consent": "My consent",
  "nav.proposals": "Votes",
  "nav.data": "My data",
  "nav.partner": "Partners",
  "nav.audit": "Audit",
  "footer.network": "Co-op on {network}",
  "read.loading": "Loading…",
  "read.failed": "Could not read from the network. Check your connection and try again.",
  "indexer.failed": "Could not reach the co-op's index. Check your connection and try again.",
  "time.underMinute": "less than a minute",
  "reveal.address": "show address",
  "reveal.details": "show details",
  "reveal.hide": "hide",

  "who.you": "you",
  "who.youMember": "you (member no. {id})",
  "who.member": "member no. {id}",
  "who.partnerNamed": "“{name}” (the partner's own name)",
  "who.partnerUnnamed": "a partner who gave no name",
  "who.applicant": "the applicant of {date}",
  "who.outside": "someone outside the co-op",
  "who.contract.timelock": "the co-op's treasury",
  "who.contract.membership": "the co-op's member register",
  "who.contract.governor": "the co-op's voting rules",
  "who.contract.registry": "the co-op's register of data access",
  "who.contract.consent": "the co-op's consent register",
  "who.contract.revenue": "the co-op's fee sharing",
  "who.contract.accessLog": "the co-op's access log",

  "home.intro":
    "Members pool their data here and decide together, one member one vote, who may use it and for what. The fees partners pay are shared among the members.",
  "home.connect": "Connect a wallet (at the top of the page) to see what waits for you.",
  "home.member": "You are member number {id}.",
  "home.notMember": "You are not a member of this co-op.",
  "home.apply": "How to join",
  "home.waiting": "Waiting for your vote",
  "home.waiting.none": "Nothing waits for your vote.",
  "home.waiting.count": {
    one: "{count} vote waits for you.",
    other: "{count} votes wait for you.",
  },
  "home.voteNow": "Vote now",
  "home.open": "Open votes",
  "home.open.none": "No vote is open now.",
  "home.open.allShown": "Every open vote is listed above.",
  "home.allVotes": "All votes",
  "home.fees": "Fees to collect",
  "home.fees.amount": "{amount} waits for you.",
  "home.fees.collect": "Collect them on My data",
  "home.next": "What you can do",
  "home.link.consent": "Choose what your data may be used for",
  "home.link.data": "Add records and see who used your data",
  "home.link.benchmark": "See how your figures compare with the pool",
  "home.link.propose": "Make a proposal",

  "summary.tallies": "For {for}, Against {against}, Abstain {abstain}",
  "summary.quorumReached": "turnout reached",
  "summary.quorumMissing": {
    one: "{count} more vote needed",
    other: "{count} more votes needed",
  },

  "proposals.title": "Votes",
  "proposals.intro":
    "Every decision of the co-op is a vote of its members. Open a proposal to read it and to vote.",
  "proposals.none": "No proposals yet.",
  "proposals.untitled": "(no title)",
  "proposals.turnout": "Turnout of recent votes",
  "proposal.number": "Proposal {number}",
  "proposal.lookup.label": "Open a proposal by its number",
  "proposal.lookup.open": "Open",
  "proposal.lookup.invalid": "A proposal number is a whole number, such as 7.",
  "proposal.unknown": "There is no proposal with this number.",
  "proposal.proposer": "Proposed by {who}",
  "proposal.opensIn": "Voting opens in {time}",
  "proposal.closesIn": "Voting closes in {time}",
  "proposal.closed": "Voting is closed",
  "proposal.willDo": "What it will do",
  "proposal.description": "What it is about",
  "proposal.tallies": "Votes so far",
  "proposal.quorum": "Turnout needed",
  "proposal.quorumProgress": "{votes} of the {quorum} votes needed (For and Abstain count).",
  "proposal.quorumReached": "Turnout reached: {votes} votes, {quorum} needed.",
  "proposal.quorumLater": "Known once voting opens.",
  "proposal.noVoteAtSnapshot":
    "Only those who were members when voting opened can vote on this proposal.",
  "proposal.yourVote": "Your vote",
  "proposal.alreadyVoted": "You have voted on this proposal.",
  "proposal.youVoted": "You voted “{choice}”.",
  "proposal.yourReason": "Your reason: “{reason}”",
  "proposal.reason": "Your reason (optional)",
  "proposal.reason.hint": "Other members can read it with your vote.",
  "proposal.gasless.label": "Vote without paying a fee (the co-op sends your signed vote)",
  "proposal.vote.summary": "Vote “{choice}” on {number}. A vote cannot be changed.",
  "proposal.vote.summaryReason":
    "Vote “{choice}” on {number}, saying: “{reason}”. A vote cannot be changed.",
  "proposal.votes": {
    one: "Who voted ({count} member)",
    other: "Who voted ({count} members)",
  },
  "proposal.voteLine": "{voter}: {choice}",
  "proposal.carryOut": "Carry it out",
  "proposal.queue": "Queue it",
  "proposal.queue.hint":
    "The vote passed. Queue it to start the waiting time, after which anyone can carry it out.",
  "proposal.queue.summary": "Queue {number}: its waiting time starts.",
  "proposal.execute": "Carry it out",
  "proposal.execute.ready": "The waiting time is over: it can be carried out now.",
  "proposal.execute.wait": "It can be carried out in {time}.",
  "proposal.execute.summary": "Carry out {number}: its changes take effect.",

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

  "calls.none": "Nothing: this proposal makes no change.",
  "calls.warning": "Check carefully:",
  "call.admit": "Admit {member} as a member.",
  "call.remove": "Remove {member} from the co-op.",
  "call.registerDataset": "Register the dataset “{name}” with the fields {fields}.",
  "call.retireDataset": "Retire dataset {id}: no new requests for it.",
  "call.approve": "Approve access request {id}: the partner gets access and the fee is shared.",
  "call.reject": "Reject access request {id}: the partner gets the fee back.",
  "call.revoke": "Revoke grant {id} for good (reason: {reason}).",
  "call.grantToMembers": "Give the co-op's own members access for benchmarking, with no fee.",
  "call.pause": "Pause every grant and stop new requests.",
  "call.unpause": "Lift the pause on grants and requests.",
  "call.setGuardian": "Make {address} the guardian, who can revoke grants and pause.",
  "call.setMinimumFee": "Set the minimum fee of new requests to {amount}.",
  "call.setMaxDuration": "Set the longest access a partner may ask for to {duration}.",
  "call.setVotingDelay": "Set the time before voting opens to {duration}.",
  "call.setVotingPeriod": "Set the voting time to {duration}.",
  "call.setLateQuorum": "Set the extra voting time after a late turnout to {duration}.",
  "call.setQuorum": "Set the turnout needed to {percent}% of the members.",
  "call.setTimelockDelay": "Set the waiting time before decisions take effect to {duration}.",
  "call.updateTimelock": "Hand the co-op's treasury and powers to another contract, {address}.",
  "call.grantRole": "Give the {role} role over the treasury to {account}.",
  "call.revokeRole": "Take the {role} role over the treasury from {account}.",
  "call.setModeEqual": "Share the fees of future grants equally among members.",
  "call.setModeByUse": "Share the fees of future grants by whose data was used.",
  "call.setTreasuryShare": "Keep {percent}% of each fee in the co-op's treasury.",
  "call.setOperator": "Make {address} the gateway operator.",
  "call.payment": "Pay {amount} from the treasury to {to}, which is not a co-op contract.",
  "call.unknownTarget": "Call {target}, which is not a co-op contract: its effect is unknown.",
  "call.undecodable": "Call the {contract} contract with data that is not one of its functions.",
  "call.withPayment": "Send {amount} with a call to {fn}.",
  "call.other": "Make a change ({fn}, {contract}) that has no form here.",
  "calls.terms.aggregate":
    "Terms: {partner} gets totals over groups of at least {k} members of {fields} from “{dataset}”, for {purpose}, for {duration}; fee {fee}; terms at {terms}.",
  "calls.terms.members":
    "Terms: every member gets totals over groups of at least {k} members of {fields} from “{dataset}”, for {purpose}, for {duration}.",
  "calls.terms.rows":
    "Terms: {partner} gets pseudonymised rows of {fields} from at least {k} members of “{dataset}”, for {purpose}, for {duration}; fee {fee}; terms at {terms}.",

  "propose.new": "Make a proposal",
  "propose.heading": "New proposal",
  "propose.intro":
    "Choose what the co-op should decide and fill in the form. You will see exactly what the proposal will do before you sign; then the members vote.",
  "propose.membersOnly":
    "Only members can make proposals. The network will refuse it from this account.",
  "propose.kind": "What should the co-op decide?",
  "propose.kind.admit": "Admit a member",
  "propose.kind.remove": "Remove a member",
  "propose.kind.registerDataset": "Register a dataset",
  "propose.kind.sponsor": "Decide on a partner's request",
  "propose.kind.revoke": "Revoke a grant",
  "propose.kind.parameter": "Change a rule",
  "propose.kind.membersGrant": "Let members compare their figures (a grant to our own members)",
  "propose.membersGrant.intro":
    "Every member will see how their own figures compare with the pool's, on the benchmark page. Nobody sees another member's figures: answers are totals over groups, with a little random noise, and each member's consent applies. There is no fee.",
  "propose.title.membersGrant": "Benchmarks for our members",
  "propose.member": "Their address",
  "propose.member.hint": "The 0x… address of their wallet, as in their application.",
  "propose.member.known": "This address is {who}.",
  "propose.removeWho": "Who should leave",
  "propose.datasetName": "Dataset name",
  "propose.schemaUri": "Where the dataset's description is published",
  "propose.schemaUri.hint": "A link (https://, ipfs://, ar:// or data:) to the document below.",
  "propose.schemaInline": "Use the document itself as its link",
  "propose.schema": "Description of the dataset (schema)",
  "propose.schema.hint":
    "The fields members contribute, their types (number, integer, string, boolean, date), limits and labels. Its fingerprint goes on the co-op's ledger.",
  "propose.request": "Request",
  "propose.request.none": "No request is waiting for a decision.",
  "propose.request.choose": "Choose…",
  "propose.request.option": "Request {id} from {partner}, for {purpose} (fee {fee})",
  "propose.decision": "Decision to propose",
  "propose.decision.approve": "Approve: grant access and share the fee",
  "propose.decision.reject": "Reject: refund the fee",
  "propose.grant": "Grant",
  "propose.grant.none": "No grant is active now.",
  "propose.grant.option": "Grant {id} to {partner}",
  "propose.revokeReason": "Why it should end",
  "propose.parameter": "Rule",
  "propose.value": "New value",
  "propose.titleLabel": "Title",
  "propose.titleHint":
    "A short line members will see in the list. Left empty, the suggestion is used.",
  "propose.reason": "Why (optional)",
  "propose.reason.hint":
    "Members read it with the proposal. You may use **bold**, lists (- item) and links.",
  "propose.gasless.label": "Propose without paying a fee (the co-op sends your signed proposal)",
  "propose.review": "Review the proposal",
  "propose.description": "Members will read:",
  "propose.summary": {
    one: "Put this proposal ({count} change) to the members' vote.",
    other: "Put this proposal ({count} changes) to the members' vote.",
  },
  "propose.created": "Proposal created: open it to vote",
  "propose.title.admit": "Admit a new member",
  "propose.title.remove": "Remove member no. {id}",
  "propose.title.removeSomeone": "Remove a member",
  "propose.title.registerDataset": "Register the dataset {name}",
  "propose.title.revoke": "Revoke grant {id}",
  "propose.title.parameter": "Change: {setting}",

  "param.votingDelay": "Time before voting opens",
  "param.votingPeriod": "Voting time",
  "param.lateQuorum": "Extra time after a late turnout",
  "param.quorum": "Turnout needed (% of members)",
  "param.timelockDelay": "Waiting time before decisions take effect",
  "param.minimumFee": "Minimum fee of a request (ETH)",
  "param.maxDuration": "Longest access a partner may ask for",
  "param.treasuryShare": "Treasury share of each fee (%)",
  "param.revenueMode": "How fees are shared",
  "param.guardian": "Guardian (can revoke and pause)",
  "param.operator": "Gateway operator",
  "param.mode.equal": "Equally among members",
  "param.mode.byUse": "By whose data was used",
  "param.hint.duration": "For example 90s, 10 min, 12h, 7d or 1d 12h.",
  "param.hint.percent": "A percentage, for example 50 or 12.5.",
  "param.hint.eth": "An amount in ETH, for example 0.05.",
  "param.hint.mode": "Choose one.",
  "param.hint.address": "A 0x… address (for the guardian, empty means none).",

  "form.error.title": "Give the proposal a title.",
  "form.error.titleLong": "Keep the title to one line of at most 200 characters.",
  "form.error.reasonLong": "Keep the explanation under 5,000 characters.",
  "form.error.address": "Enter a valid 0x… address (40 hexadecimal characters).",
  "form.error.datasetName": "Give the dataset a name (at most 200 characters).",
  "form.error.uri": "Enter a link starting with https://, http://, ipfs://, ar:// or data:.",
  "form.error.schemaJson": "The schema document is not valid JSON (an object).",
  "form.error.schemaFields": "The schema needs a list of 1 to 256 fields.",
  "form.error.schemaFieldName":
    "Each field needs a short name of letters, digits and _ (not starting with a digit).",
  "form.error.schemaFieldType":
    "Each field's type must be number, integer, string, boolean or date.",
  "form.error.schemaDuplicate": "Two fields have the same name.",
  "form.error.id": "Enter a whole number from 1.",
  "form.error.notPending": "This request is not waiting for a decision.",
  "form.error.revokeReason": "Say why (at most 500 characters).",
  "form.error.parameter": "Choose a rule.",
  "form.error.duration": "Enter a duration such as 90s, 10 min, 12h or 7d.",
  "form.error.durationRange": "This duration is outside what the rule allows.",
  "form.error.percent": "Enter a percentage from 0 to 100 (at most two decimals).",
  "form.error.quorum": "The turnout needed is a whole percentage from 1 to 100.",
  "form.error.eth": "Enter an amount in ETH, for example 0.05.",
  "form.error.mode": "Choose how fees are shared.",
  "form.error.purpose": "Choose a purpose.",
  "form.error.membersGrant": "This co-op's contracts cannot make a grant to their members yet.",

  "data.title": "My data",
  "data.intro":
    "Add your records, see every time a partner's answer included them, collect your share of fees and choose grant by grant.",
  "data.benchmarkLink": "How do my figures compare?",
  "session.title": "Open your data",
  "session.explain":
    "Your wallet signs a sign-in message for the co-op's data service. It is free and sends nothing to the network.",
  "session.signIn": "Sign in to my data",
  "session.waiting": "Waiting for your wallet…",
  "session.signedIn": "Signed in to your data.",
  "session.signOut": "Sign out",
  "session.statement": "Sign in to the co-op's data gateway.",

  "contribute.title": "Add records",
  "contribute.noDataset": "The co-op has no dataset yet.",
  "contribute.dataset": "Dataset",
  "contribute.form": "One record",
  "contribute.recordId": "Record name",
  "contribute.recordId.hint":
    "Any short name of yours. Sending a record with the same name again replaces it.",
  "contribute.required": "Required.",
  "contribute.optional": "Optional.",
  "contribute.hint.number": "A number, such as {example}.",
  "contribute.hint.integer": "A whole number.",
  "contribute.hint.between": "From {min} to {max}.",
  "contribute.hint.atLeast": "At least {min}.",
  "contribute.hint.atMost": "At most {max}.",
  "contribute.hint.identifying": "Kept private: never shown to partners.",
  "contribute.yes": "Yes",
  "contribute.no": "No",
  "contribute.notGiven": "Not given",
  "contribute.fix": {
    one: "Check the field marked below.",
    other: "Check the {count} fields marked below.",
  },
  "contribute.send": "Send this record",
  "contribute.csv": "Many records from a spreadsheet",
  "contribute.csv.hint":
    "Save your spreadsheet as CSV. First line: record_id and the field names, as in the template. Numbers may be written like {example}. Every problem is listed, line by line, before anything is sent.",
  "contribute.template": "Download a template",
  "contribute.file": "CSV file",
  "contribute.csv.ready": {
    one: "{count} record checked, ready to send.",
    other: "{count} records checked, ready to send.",
  },
  "contribute.sendCsv": "Send the file",
  "contribute.sending": "Sending…",
  "contribute.done": {
    one: "Saved: {count} new or changed record.",
    other: "Saved: {count} new or changed records.",
  },
  "contribute.unchanged": {
    one: "Nothing new: the record was already saved as it is.",
    other: "Nothing new: the {count} records were already saved as they are.",
  },
  "contribute.fileProblems": {
    one: "The file was not sent: {count} problem to fix.",
    other: "The file was not sent: {count} problems to fix.",
  },
  "contribute.line": "Line",
  "contribute.problem": "Problem",
  "contribute.schemaMissing":
    "The co-op's data service does not have this dataset's description yet. Anyone can give it: it is checked against the fingerprint on the co-op's ledger.",
  "contribute.publishSchema": "Give it the description",
  "contribute.schemaPublished":
    "The data service accepted the description. You can add records now.",
  "contribute.schemaRefused": "The data service did not accept it. Try again later.",
  "contribute.untyped":
    "The co-op's data service does not know this dataset's fields yet, so this form cannot check your values; the service checks them when you send.",
  "contribute.err.session": "Your sign-in to your data has ended. Sign in again, then send again.",
  "contribute.err.noSchema":
    "The co-op's data service does not know this dataset yet. Give it the description, then send again.",
  "contribute.err.notMember": "Only members add records, and this account is not a member now.",
  "contribute.err.rateLimited": "Too many sends in a minute. Wait a minute, then send again.",
  "contribute.err.refused":
    "The co-op's data service refused this. Check the values and send again.",
  "contrib.err.required": "{field} is missing.",
  "contrib.err.number": "{field}: “{value}” is not a number. Write it like {example}.",
  "contrib.err.integer": "{field}: “{value}” is not a whole number.",
  "contrib.err.boolean": "{field}: “{value}” is not yes or no.",
  "contrib.err.date": "{field}: “{value}” is not a date. Write it like {example}.",
  "contrib.err.min": "{field}: {value} is below the smallest allowed, {min}.",
  "contrib.err.max": "{field}: {value} is above the largest allowed, {max}.",
  "contrib.err.enum": "{field}: “{value}” is not one of the allowed values ({allowed}).",
  "contrib.err.tooLong": "{field} is too long: at most {max} characters.",
  "contrib.err.unknownColumn":
    "The column “{column}” is not a field of this dataset. Check its name against the template.",
  "contrib.err.cells": {
    one: "This line has {count} cell where the first line has {expected}.",
    other: "This line has {count} cells where the first line has {expected}.",
  },
  "contrib.err.recordId":
    "The record name “{value}” cannot be used: letters, digits and . _ : - only, at most 128.",
  "contrib.err.duplicateId": "The record name “{value}” is used twice (also on line {other}).",
  "contrib.err.noIdColumn": "The first line needs a record_id column. Start from the template.",
  "contrib.err.duplicateColumn": "The column “{column}” appears twice.",
  "contrib.err.quote": "A quotation mark opened on line {line} is never closed.",
  "contrib.err.empty": "The file has no records.",
  "contrib.err.tooMany": "At most {max} records per file: split it in two.",
  "contrib.err.other": "The data service says: {message}",

  "accesses.title": "Who used my data",
  "accesses.none": "No partner's answer has included your data yet.",
  "accesses.failed": "Could not read who used your data. Try again later.",
  "accesses.count": {
    one: "Partners' answers included your data {count} time.",
    other: "Partners' answers included your data {count} times.",
  },
  "accesses.chart": "Uses of my data per day",
  "accesses.entry": "{partner}, grant {grant}, for {purpose}.",
  "accesses.rows": "Pseudonymised rows: {fields}",
  "accesses.aggregate": "Totals over groups: {fields}",

  "revenue.title": "My share of fees",
  "revenue.summary": "Received so far: {claimed}. Ready to collect: {claimable}.",
  "revenue.chart": "Collected per grant (ETH)",
  "revenue.grant": "Grant {grant}: {amount}",
  "revenue.grantShort": "Grant {grant}",
  "revenue.claim": "Collect",
  "revenue.claim.summary": "Collect {amount}, your share of grant {grant}'s fee.",
  "revenue.gasless.label": "Collect without paying a fee (the co-op's relayer sends it)",
  "revenue.claimAll": "Collect everything ({amount})",
  "revenue.claimAll.summary": {
    one: "Collect {amount}, your share of {count} grant.",
    other: "Collect {amount}, your shares of {count} grants.",
  },
  "revenue.paidTo": "Whoever sends it, the money goes to {who}.",
  "revenue.byUse.grant": {
    one: "Grant {grant}, shared by use: {amount} for {count} use of your data.",
    other: "Grant {grant}, shared by use: {amount} for {count} uses of your data.",
  },
  "revenue.byUse.summary":
    "Collect {amount}, your share of grant {grant}'s fee by how much your data was used. The co-op's data service gives the proof; the contract checks it.",
  "revenue.byUse.unavailable":
    "Shares by use could not be read from the co-op's data service. Try again later.",

  "choices.title": "Grant by grant",
  "choices.intro":
    "Your consent per purpose applies to every grant. Here you can leave out any one grant, whatever its purpose.",
  "choices.grant": "Grant {grant} to {partner}, for {purpose}.",
  "choices.state.Default": "Follows your consent per purpose.",
  "choices.state.OptIn": "You allowed this grant.",
  "choices.state.OptOut": "You left this grant out.",
  "choices.optOut": "Leave this grant out",
  "choices.reset": "Follow my consent again",
  "choices.optOut.summary":
    "Leave grant {grant} to {partner} out: its later answers will not include your data.",
  "choices.reset.summary": "Grant {grant} to {partner} follows your consent per purpose again.",
  "choices.gasless.label": "Without paying a fee (the co-op sends your signed choice)",

  "gasless.limits": {
    one: "The co-op pays the network fee, for up to {count} change an hour for each member.",
    other: "The co-op pays the network fee, for up to {count} changes an hour for each member.",
  },
  "gasless.budget": "{share} of its fee budget is left for this period ({period}).",
  "gasless.budgetTotal": "{share} of its fee budget is left.",
  "gasless.budgetLow":
    "Its fee budget is nearly used up: if this fails, try again later or pay the fee yourself.",

  "benchmark.title": "How my figures compare",
  "benchmark.intro":
    "Your own averages, from the records you added, beside the pool's figures. The pool's figures come from the co-op's benchmarking grant to its members, with a little random noise; nobody sees another member's figures.",
  "benchmark.yours": {
    one: "Your average: {value} (from {count} record).",
    other: "Your average: {value} (from {count} records).",
  },
  "benchmark.pool": "The pool's average: {value}.",
  "benchmark.standing": "You are above about {share} of the pool.",
  "benchmark.you": "You: {value}",
  "benchmark.noPool":
    "The co-op has not voted a benchmarking grant for its members yet, so only your own figures are shown. Any member can propose one.",
  "benchmark.proposeGrant": "Make a proposal",
  "benchmark.unavailable":
    "The co-op's data service does not answer members' questions yet, so only your own figures are shown.",
  "benchmark.from":
    "From the co-op's benchmarking grant {id}, active until {end}. The pool's figures include a little random noise.",
  "benchmark.poolCount": {
    one: "About {count} record in the pool.",
    other: "About {count} records in the pool.",
  },
  "benchmark.noise": {
    one: "To keep every member's figures private, the co-op adds a little random noise to the pool's figures: nine times in ten, the number of records shown is within {count} of the true one, and the averages move a little with it. Your own figures are exact.",
    other:
      "To keep every member's figures private, the co-op adds a little random noise to the pool's figures: nine times in ten, the number of records shown is within {count} of the true one, and the averages move a little with it. Your own figures are exact.",
  },
  "benchmark.chart": "{field}: you and the pool",
  "benchmark.noRecords":
    "You have no records with numbers in this dataset yet. Add some on My data.",
  "benchmark.failed": "Could not read the figures. Try again later.",

  "privacy.title": "Your privacy this period",
  "privacy.explain":
    "Every answer about the pool uses a little of each member's privacy, up to a limit the co-op voted. When your limit is used up, your data is left out of answers until it renews.",
  "privacy.used": {
    one: "{share} of your privacy limit used by {count} answer; it renews on {renews}.",
    other: "{share} of your privacy limit used by {count} answers; it renews on {renews}.",
  },
  "privacy.full":
    "your privacy limit for this period is used up: your data is left out of answers until {renews}.",
  "privacy.none": "No answer has used your privacy this period.",
  "privacy.failed": "Could not read your privacy figures. Try again later.",
  "privacy.dataset": "A dataset",
  "privacy.meter": "Privacy used: {dataset}",

  "partner.title": "Partners",
  "partner.intro":
    "Researchers, companies and agencies ask the co-op for access. The members vote; once approved, you query within the terms you asked for.",
  "partner.grantUnknown": "No grant of yours has this number.",
  "request.title": "Request access",
  "request.purpose": "Purpose",
  "request.fields": "Fields",
  "request.shape": "Answers",
  "request.shape.aggregate": "Totals over groups only",
  "request.shape.rows": "Pseudonymised rows",
  "request.k": "Smallest group",
  "request.k.hint": "No answer covers fewer members than this.",
  "request.days": "For how many days",
  "request.days.hint": "At most {max}.",
  "request.name": "Your organisation's name",
  "request.name.hint":
    "How the members will know you (at most 64 characters). They read it as your own claim, with your address a click away.",
  "request.fee": "Fee (ETH)",
  "request.fee.hint": "At least {min}. Held by the co-op until the vote; refunded if refused.",
  "request.terms": "Link to your terms",
  "request.terms.hint": "What you will do with the data (https://, ipfs:// or ar://).",
  "request.review": "Review the request",
  "request.summary.aggregate":
    "Ask for {dataset} for {purpose}: totals over groups of at least {k} members of {fields}, for {duration}. Pay {fee} now, held until the members decide.",
  "request.summary.rows":
    "Ask for {dataset} for {purpose}: pseudonymised rows of {fields} from at least {k} members, for {duration}. Pay {fee} now, held until the members decide.",
  "request.error.fields": "Choose at least one field.",
  "request.error.k": "Enter a whole number of at least 1.",
  "request.error.days": "Enter a whole number of days, at least 1.",
  "request.error.name": "Give your organisation's name (at most 64 characters).",
  "request.error.daysMax": "That is longer than the co-op allows.",
  "request.error.feeMin": "The fee is below the co-op's minimum.",
  "request.mine": "My requests",
  "request.item": "Request {id}",
  "request.itemTerms": "For {purpose}, fee {fee}.",
  "request.terms.show": "The terms asked for",
  "request.phase.waitingSponsor": "Waiting for a vote",
  "request.phase.voting": "Members are voting",
  "request.phase.voteFailed": "The vote did not pass",
  "request.phase.votePassed": "The vote passed",
  "request.phase.approved": "Granted",
  "request.phase.rejected": "Refused",
  "request.phase.withdrawn": "Withdrawn",
  "request.phase.revoked": "Revoked",
  "request.next.waitingSponsor": "Waiting for a member to put it to the vote.",
  "request.next.voting": "The members are voting on it now.",
  "request.next.voteFailed":
    "The vote did not pass, so nothing is decided yet: a member may put it to a new vote, or you can withdraw it and get the fee back.",
  "request.next.votePassed":
    "The vote passed: access starts once it is carried out, after the co-op's waiting time.",
  "request.next.approved": "You can query the data within the terms.",
  "request.next.rejected": "The members refused it. Take your fee back above.",
  "request.next.withdrawn": "You withdrew it; its fee can be taken back.",
  "request.next.revoked": "This grant was revoked: it cannot be used any more.",
  "request.query": "Query the data",
  "request.withdraw": "Withdraw and get the fee back",
  "request.withdraw.summary": "Withdraw request {id}; its fee becomes refundable.",
  "refund.waiting": "Fees to take back (refused or withdrawn requests): {amount}.",
  "refund.claim": "Take my fees back",
  "refund.summary": "Take back {amount} of fees held for requests that were refused or withdrawn.",

  "query.back": "Back to my requests",
  "query.title": "Query under grant {id}",
  "query.active": "Active until {end}.",
  "query.inactive": "Not active now (it ended on {end} or was revoked).",
  "query.select": "Fields to return",
  "query.groupBy": "Group by",
  "query.none": "None",
  "query.measure": "Measure",
  "query.fn.count": "Number of records",
  "query.fn.sum": "Sum",
  "query.fn.mean": "Average",
  "query.fn.min": "Smallest",
  "query.fn.max": "Largest",
  "query.col.sum": "Sum of {field}",
  "query.col.mean": "Average of {field}",
  "query.col.min": "Smallest {field}",
  "query.col.max": "Largest {field}",
  "query.col.quantiles": "Quantiles of {field}",
  "query.measureField": "Of the field",
  "query.filter": "Only records where",
  "query.filter.hint": "Optional.",
  "query.op": "Is",
  "query.op.eq": "equal to",
  "query.op.ne": "not equal to",
  "query.op.lt": "less than",
  "query.op.lte": "at most",
  "query.op.gt": "more than",
  "query.op.gte": "at least",
  "query.value": "Value",
  "query.json": "The query as sent",
  "query.error.select": "Choose at least one field to return.",
  "query.error.limit": "The number of rows is from 1 to 1,000.",
  "query.error.measureField": "Choose the field to measure.",
  "query.signHint":
    "Your wallet signs this exact query for this grant (free, nothing is sent to the network); the co-op logs every answer.",
  "query.run": "Sign and run",
  "query.sending": "Asking the co-op's data service…",
  "query.refused": "The co-op did not answer this query.",
  "query.result": {
    one: "Answer: {count} line",
    other: "Answer: {count} lines",
  },
  "query.suppressed": {
    one: "{count} group had too few members to be shown.",
    other: "{count} groups had too few members to be shown.",
  },
  "query.allSuppressed": {
    one: "No group had enough members to be shown (the {count} group was too small). Group by fewer fields, or remove the filter, so that each group covers more members.",
    other:
      "No group had enough members to be shown (all {count} groups were too small). Group by fewer fields, or remove the filter, so that each group covers more members.",
  },
  "query.noisy":
    "These figures include a little random noise, as the co-op's privacy rules require.",
  "query.logged": "Logged as entry {seq} of the co-op's access log.",
  "query.csv": "Download CSV",
  "refusal.cohort":
    "Too few members are in this answer for the grant's smallest group. Group by fewer fields or widen the filter.",
  "refusal.filter": "This filter would single out too few members. Widen it or remove it.",
  "refusal.differencing":
    "This query differs from an earlier one by too few members, which could reveal one person. Ask about a broader group.",
  "refusal.scope":
    "A field in this query is not in the grant's terms. Use only the grant's fields.",
  "refusal.identifying": "That field identifies a person and is never served. Leave it out.",
  "refusal.rows": "This grant allows totals over groups only. Choose totals.",
  "refusal.measure":
    "The privacy rules allow counts, sums and averages here, not smallest or largest values. Choose another measure.",
  "refusal.budget":
    "This grant has used up its privacy budget for now. Ask again in the next period, or ask the co-op for a new grant.",
  "refusal.ended": "This grant has ended or was revoked. Request access again.",
  "refusal.notYours": "This grant was not made to your account.",
  "refusal.notYet": "This grant is not active yet. Try again once it is carried out.",
  "refusal.paused": "The co-op has paused all grants for now. Try again later.",
  "refusal.noSchema":
    "The co-op's data service does not know this dataset yet. Ask a member to give it the dataset's description.",
  "refusal.invalid": "The query could not be read. Change the form and try again.",
  "refusal.again":
    "The signature was not accepted (already used, or too late). Sign and run again.",
  "refusal.rateLimited": "Too many queries in a minute. Wait a minute, then try again.",
  "refusal.other": "The co-op refused this query. Check the form and try again.",

  "audit.title": "Audit",
  "refusal.groupNotPublic":
    "This grant answers only groups the co-op can name in advance. Group by a field with set choices, a yes/no field, or ranges of numbers.",
  "refusal.groupsTooMany":
    "This question would make too many groups (at most 1,000). Group by fewer fields, or use wider ranges.",
  "refusal.notDeclared":
    "This grant gives exact figures only for the tables listed in its voted terms. Choose one of those tables.",
  "refusal.tabulationsUnknown":
    "The co-op's data service does not have this grant's list of tables yet. Ask the co-op to give it, then try again.",
  "refusal.noGrant": "This account holds no grant from the co-op yet. Request access first.",
  "gw.session":
    "Your sign-in to the co-op's data service has ended or did not go through. Sign in again.",
  "gw.noStanding":
    "Only members, and partners holding a grant, can sign in to the co-op's data service.",
  "gw.batch":
    "These records could not be read. Send from 1 to 1,000 records, each with its record number, and try again.",
  "gw.recordsUnknown":
    "None of these records is yours and still kept: they may have been removed already.",
  "gw.schema":
    "This description of the data does not match the one the co-op registered. Use the co-op's own file.",
  "gw.tabulations":
    "This list of tables does not match the grant's voted terms. Use the list the co-op voted on.",
  "gw.unavailable":
    "The co-op's data service cannot reach its records right now. Nothing was changed: try again in a few minutes.",
  "gw.logBroken":
    "The co-op's record of who used the data does not check out. Tell the co-op's operator.",
  "gw.invalid":
    "The co-op's data service could not read this request. Reload the page and try again.",
  "gw.notFound": "The co-op's data service does not know this. Reload the page and try again.",
  "gw.rateLimited": "Too many requests in a minute. Wait a minute, then try again.",
  "audit.intro":
    "Every decision of the co-op, newest first, with the transaction that records it. Anyone can check them on the chain.",
  "audit.turnout": "Turnout per proposal",
  "audit.revenue": "Fees received per grant (ETH)",
  "audit.tx": "show the transaction",
  "audit.root": "show the log's fingerprint",
  "audit.block": "block {block}",
  "audit.more": "Show more",
  "timeline.admission": "Member number {id} joined the co-op.",
  "timeline.proposal": "{title} was proposed by {proposer}.",
  "timeline.vote.For": "{voter} voted For on {proposal}.",
  "timeline.vote.Against": "{voter} voted Against on {proposal}.",
  "timeline.vote.Abstain": "{voter} abstained on {proposal}.",
  "timeline.queued": "{title} passed and was queued.",
  "timeline.executed": "{title} was carried out.",
  "timeline.canceled": "{title} was canceled.",
  "timeline.request": "{partner} requested access to dataset {dataset} (request {id}).",
  "timeline.grant": "Grant {id} to {partner} approved by vote.",
  "timeline.revocation": "Grant {id} revoked ({reason}).",
  "timeline.anchor": "Access log batch {index} anchored: {size} entries.",
  "auditLog.title": "The access log",
  "auditLog.intro":
    "Check every proof the gateway gives for its access log against the anchors on the chain, here in your browser. Nothing the gateway says is taken on trust.",
  "auditLog.run": "Verify the access log",
  "auditLog.reading": "Reading the anchors from the chain…",
  "auditLog.progress": "Checked {done} of {total} proofs",
  "auditLog.ok":
    "The access log checks out: {batches} batches on the chain, each extending the one before, and all {entries} anchored entries are in them.",
  "auditLog.none": "Nothing is anchored on the chain yet.",
  "auditLog.unanchored":
    "{count} newer entries are not anchored yet: they will be in the next batch.",
  "auditLog.root": {
    one: "The last anchored batch ends at entry {count}.",
    other: "The last anchored batch ends at entry {count}.",
  },
  "auditLog.failed": "The access log does not check out.",
  "auditLog.fail.anchorRead": "Could not read the anchors from the chain: {message}",
  "auditLog.fail.anchorLink": "Batch {batch} on the chain does not follow the batch before it.",
  "auditLog.fail.rewritten":
    "Batch {batch} does not extend the batch before it: the log was rewritten after it was anchored.",
  "auditLog.fail.batchRoot": "The gateway's root for batch {batch} is not the one on the chain.",
  "auditLog.fail.entryChanged":
    "Entry {seq} (batch {batch}) was changed: its text does not match its hash.",
  "auditLog.fail.entryNotIn": "Entry {seq} is not in batch {batch} as anchored on the chain.",
  "auditLog.fail.entryRoot":
    "For entry {seq}, the gateway's root for batch {batch} is not the one on the chain.",
  "auditLog.fail.entryMissing":
    "Entry {seq} is anchored in batch {batch}, but the gateway no longer has it.",
  "auditLog.fail.batchUnavailable": "The gateway gave no proof for batch {batch}: {message}",
  "auditLog.fail.entryUnavailable": "The gateway gave no proof for entry {seq}: {message}",

  "directory.applications": "Applications waiting for a vote",
  "directory.applied": "Someone applied on {date}",
  "directory.readApplication": "Read the application",
  "directory.reason": "Application: {uri}",
  "directory.propose": "Propose admission",
  "directory.members": {
    one: "All members ({count})",
    other: "All members ({count})",
  },
  "directory.member": "Member no. {id}, since {date}",

  "wallet.connect": "Connect a wallet",
  "wallet.explain":
    "Your wallet proves who you are. Connecting shares only your public address; nothing is signed.",
  "wallet.browser": "Browser wallet",
  "wallet.none": "No browser wallet found. Install one (for example MetaMask) to take part.",
  "wallet.demo.title": "Try it with a demo account",
  "wallet.demo.explain":
    "Test accounts of this local co-op. Their keys are public: for trying things out only.",
  "wallet.demo.founder": "Founder {n}",
  "wallet.demo.farmer": "{name} (member)",
  "wallet.demo.partner": "{name} (partner)",
  "wallet.demo.members": "Members",
  "wallet.demo.partners": "Partners",
  "wallet.demo.visitors": "Not members",
  "wallet.demo.visitor": "Visitor {n}",
  "wallet.signedInAs": "Signed in: {who}",
  "wallet.disconnect": "Disconnect",
  "wallet.connectFailed": "Could not connect:",

  "network.wrong":
    "Your wallet is on another network. This co-op runs on {network}; nothing will be signed until you switch.",
  "network.switch": "Switch to {network}",

  "tx.review.title": "Before you sign",
  "tx.review.meaning":
    "Your wallet will ask you to sign this change. Signing records it publicly in the co-op's ledger, under your account, and costs a small network fee in ETH. Only you can sign it.",
  "tx.review.gasless":
    "Your wallet will ask for a signature, not a transaction: it costs you nothing. The co-op's relayer then records this change, publicly and under your account, once, before it expires. The relayer pays the network fee and cannot change what you signed.",
  "tx.review.relayed":
    "The co-op's relayer sends this for you and pays the network fee. There is nothing to sign: the money goes only to your own account.",
  "tx.review.confirm": "Sign in my wallet",
  "tx.review.send": "Send it",
  "tx.review.cancel": "Cancel",
  "tx.wallet": "Waiting for your wallet… Check it to sign or refuse.",
  "tx.wallet.signature":
    "Waiting for your wallet… It asks for a signature, not a transaction: no fee.",
  "tx.relaying": "Signed. The co-op's relayer accepted it and is sending it…",
  "tx.relaying.unsigned": "The co-op's relayer accepted it and is sending it…",
  "tx.mining": "Sent. Waiting for the network to confirm…",
  "tx.mining.relayed": "The relayer sent it. Waiting for the network to confirm…",
  "tx.success": "Done: it is recorded.",
  "tx.record": "show the transaction",
  "tx.error.title": "It did not go through; nothing changed.",
  "tx.dismiss": "Close",
  "tx.retry": "Try again",
  "sign.contract": "Signed for",
  "sign.contract.value": "{coop}",
  "sign.exact": "show the exact value",
  "sign.member": "Member",
  "sign.voter": "Voter",
  "sign.proposer": "Proposed by",
  "sign.changes": "Changes",
  "sign.changes.value": {
    one: "{count} change, as listed above",
    other: "{count} changes, as listed above",
  },
  "sign.purposes": "Purposes allowed after this change",
  "sign.purposes.none": "None",
  "sign.grant": "Grant",
  "sign.grant.value": "Grant {id}",
  "sign.choice": "Choice",
  "sign.proposal": "Proposal",
  "sign.proposal.unnumbered": "A proposal",
  "sign.support": "Vote",
  "sign.reason": "Reason",
  "sign.valid": "Good for",
  "sign.valid.value": "one use, within an hour of signing",

  "err.rejected":
    "You said no in your wallet, so nothing changed. Press Try again when you are ready.",
  "err.chain": "Your wallet is on another network. Switch to {network} (above), then try again.",
  "err.noFunds":
    "Your account has no ETH for the network fee. Tick “without paying a fee” if it is offered, or ask the co-op for a little ETH.",
  "err.network": "The co-op's network did not answer. Check your connection and try again.",
  "err.noVote":
    "You were not yet a member when voting opened on this proposal, so you have no vote on it.",
  "err.alreadyVoted": "You have already voted on this proposal. A vote cannot be changed.",
  "err.proposalStep":
    "This proposal is not at that step now (voting may have closed, or it was already done). Reload the page to see where it stands.",
  "err.noProposal": "There is no proposal with this number.",
  "err.proposeMembersOnly":
    "Only members can make proposals, and this account is not a member now.",
  "err.invalidValue": "The co-op's rules do not allow this value. Check the form and review again.",
  "err.signature":
    "The signature was not accepted. Try again; if it keeps failing, reconnect your wallet.",
  "err.expired": "The signature was too old when it arrived. Try again.",
  "err.staleSignature":
    "Another change of yours was recorded first, so this signature no longer counts. Try again.",
  "err.coopOnly": "Only the co-op itself, by a vote, can do this.",
  "err.noPayment": "The co-op does not take payments this way. Nothing was sent.",
  "err.notYet": "The waiting time is not over yet. Try again when the countdown ends.",
  "err.tryLater": "This cannot be done yet. Try again in a few minutes.",
  "err.alreadyMember": "This address is already a member.",
  "err.movedAway":
    "This membership has moved to a new account by the co-op's vote. Use your new account.",
  "err.notMember": "Only members can do this, and this account is not a member now.",
  "err.soulbound": "A membership cannot be given away or lent: each member keeps their own vote.",
  "err.noGrant": "This grant has ended or does not exist.",
  "err.cohortTooSmall":
    "The smallest group is below the co-op's minimum. Raise it and review again.",
  "err.datasetClosed": "This dataset is closed to new requests. Choose another one.",
  "err.durationTooLong": "That is longer than the co-op allows. Ask for fewer days.",
  "err.feeTooLow": "The fee is below the co-op's minimum. Raise it and review again.",
  "err.memberCannotRequest":
    "Members cannot ask for a grant themselves: a partner asks, and the members vote.",
  "err.notYourRequest": "This request was made by another account.",
  "err.nothingToRefund": "There is no fee to take back.",
  "err.paymentFailed":
    "The payment could not be sent to this account. Try again, or tell the co-op.",
  "err.termsChanged":
    "The request's terms are not the ones shown. Reload the page and review again.",
  "err.requestDecided":
    "This request was already decided or withdrawn. Reload to see where it stands.",
  "err.paused": "The co-op has paused grants and requests for now. Try again once the pause ends.",
  "err.outdatedChoice":
    "A newer choice of yours is already recorded, so this older signature cannot change it. Make the choice again if you still want it.",
  "err.clockAhead":
    "Your phone's clock is ahead of the network's. Set the right date and time, then try again.",
  "err.nothingToCollect": "There is nothing for you to collect here right now.",
  "err.claimClosed":
    "The time to collect this share has ended, and what was not collected went back to the co-op.",
  "err.partnerName": "Give your organisation's name, up to 64 letters.",
  "err.exactNeedsAggregates":
    "Exact figures can be asked for only with totals and averages, not with single records. Turn exact figures off, or ask for totals.",
  "err.alreadyClaimed": "You have already collected this share.",
  "err.notEligible":
    "This share is not yours to collect: you were not a member when the fee was shared, or your data was not used.",
  "err.badProof":
    "The co-op's data service gave a proof the contract did not accept. Try again later.",
  "err.relayerLimit":
    "The co-op has sent as many changes for you as it allows this hour. Try again later, or pay the fee yourself.",
  "err.relayerBusy": "The co-op's relayer is busy. Try again in a minute.",
  "err.relayerBudget":
    "The co-op's relayer has no fee budget left for now. Try again later, or pay the fee yourself.",
  "err.relayerTooExpensive":
    "The network fee is too high for the co-op's relayer right now. Try again later.",
  "err.alreadyRelayed": "This signed change was already sent. Reload the page to see it.",
  "err.relayerNotSent": "The co-op's relayer could not send it. Try again in a minute.",
  "err.relayTimeout":
    "The co-op's relayer has not seen it recorded yet. Check again in a minute before trying again.",
  "err.relayerMissing":
    "The co-op's relayer does not offer this yet. Pay the fee yourself instead.",
  "err.internal":
    "The co-op's rules refused this, and nothing changed. If it keeps happening, tell the co-op (code {code}).",
  "err.unknown":
    "It did not go through, and nothing changed. Try again; if it keeps failing, tell the co-op.",

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
  "consent.gasless.label": "Save without paying a fee (the co-op sends your signed change)",
  "consent.undo": "Undo changes",
  "consent.withdrawAll": "Withdraw all consent",
  "consent.summary.allow": "Allow your data to be used for: {purposes}.",
  "consent.summary.withdraw": "Stop allowing: {purposes}.",
  "consent.summary.withdrawAll": "Withdraw your consent for every purpose.",
} as const satisfies Record<string, Message>;

export type MessageKey = keyof typeof en;
/** A dictionary: every English key, a text where English has a text, plural forms where it has them. */
export type Messages = { [K in MessageKey]: (typeof en)[K] extends string ? string : Plural };

export type PurposeTexts = Record<PurposeKey, { label: string; description: string }>;

/** English purpose texts come from the generated table (contracts/libraries/Purposes.sol). */
export const enPurposes = Object.fromEntries(
  PURPOSES.map((p) => [p.key, { label: p.label, description: p.description }]),
) as PurposeTexts;
