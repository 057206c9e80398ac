/**
 * What the gateway answers, as schemas: the answer of a query (rows, or aggregates exact or differentially
 * private), the access-log entry and the opening of its seal that come with it, a member's records and
 * accesses (the error body is the server's one, in http/errors.ts). The OpenAPI document is generated from them, and the gateway's OpenAPI
 * test checks real answers against the document, so these describe what serve.ts and accessLog.ts return.
 */
import { z } from "@hono/zod-openapi";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const FieldValue = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .openapi("FieldValue", {
    description:
      "A field's value as stored: a string (dates as YYYY-MM-DD), a number, a boolean, or null when the record has none.",
  });

const MeasureValue = z
  .union([z.number(), z.string(), z.array(z.number()), z.null()])
  .openapi("MeasureValue", {
    description:
      "A measure's value: a number (count, sum, mean, min, max of numbers); a date string (min, max of dates); an array of numbers in the order of q (quantiles); null when the group has no value for it.",
  });

export const RowAnswer = z
  .object({
    shape: z.literal("rows").openapi({ description: "A page of records." }),
    rows: z
      .array(
        z.record(z.string(), FieldValue).openapi({
          description:
            "One record: `member`, the member's pseudonym under this grant (HMAC of the grant and the member, 22 characters; stable within the grant, unlinkable across grants), and each selected field.",
          example: { member: "3q2ZzR1bX4yVdU0pYw8c5A", region: "north", yield_kg: 4210 },
        }),
      )
      .openapi({
        description: "The page's records, in the query's order (or the grant's keyed order).",
      }),
    limit: z.number().int().openapi({ description: "The page size used." }),
    offset: z.number().int().openapi({ description: "The records skipped before this page." }),
  })
  .openapi("RowAnswer", {
    description: "The answer of a row query.",
    example: {
      shape: "rows",
      rows: [{ member: "3q2ZzR1bX4yVdU0pYw8c5A", region: "north", crop: "maize", yield_kg: 4210 }],
      limit: 100,
      offset: 0,
    },
  });

export const GroupAnswer = z
  .object({
    key: z.record(z.string(), FieldValue).openapi({
      description: "The group's value of each groupBy field ({} without groupBy).",
    }),
    values: z.record(z.string(), MeasureValue).openapi({
      description:
        "Each measure by its label: `count`, `<fn>:<field>` (e.g. `mean:yield_kg`), `quantiles:<field>`.",
    }),
  })
  .openapi("GroupAnswer", {
    description: "One group of an aggregate answer.",
    example: { key: { region: "north" }, values: { count: 12, "mean:yield_kg": 3980.5 } },
  });

export const AggregateAnswer = z
  .object({
    shape: z.literal("aggregate").openapi({ description: "Figures per group." }),
    groups: z.array(GroupAnswer).openapi({
      description: "The groups served, each covering at least k members.",
    }),
    suppressedGroups: z.number().int().min(0).openapi({
      description:
        "How many groups were left out: fewer than k members, a term separating fewer than k, or one member away from an earlier answer.",
    }),
    noise: z
      .object({
        epsilon: z.number().openapi({ description: "The privacy loss this answer spent." }),
      })
      .nullable()
      .openapi({
        description:
          "Null for an exact answer. For a differentially private dataset: the values are noisy (count, sum, mean), and this names the epsilon spent.",
      }),
  })
  .openapi("AggregateAnswer", {
    description: "The answer of an aggregate query.",
    example: {
      shape: "aggregate",
      groups: [{ key: { region: "north" }, values: { count: 12, "mean:yield_kg": 3980.5 } }],
      suppressedGroups: 1,
      noise: null,
    },
  });

export const Answer = z.union([RowAnswer, AggregateAnswer]).openapi("Answer", {
  description: "What a query returns: rows, or aggregates (shape tells which).",
});

export const AnswerOpening = z
  .object({
    answer: hex64.nullable().openapi({
      description:
        "SHA-256 (hex) of the canonical JSON (RFC 8785) of the answer served; null for a refusal.",
    }),
    reason: z
      .string()
      .openapi({ description: "The exact reason code (`allowed`, or the refusal's code)." }),
    message: z.string().openapi({ description: "The message given with it." }),
    salt: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .openapi({ description: "128 random bits, hex." }),
  })
  .openapi("AnswerOpening", {
    description: "The answer half of an access-log entry's seal, opened.",
  });

export const RequesterOpening = z
  .object({
    answer: AnswerOpening,
    members: hex64.openapi({
      description:
        "The members half of the seal, as its hash (who the answer concerned stays with the co-op).",
    }),
  })
  .openapi("RequesterOpening", {
    description:
      "What the partner needs to check that the public entry commits to exactly this answer: seal = SHA-256(canonical { answer: SHA-256(canonical { answer, message, reason, salt }), members }). See checkOpening in @datacoop/protocol/accessLog/seal.",
  });

export const LogRef = z
  .object({
    seq: z
      .number()
      .int()
      .min(1)
      .openapi({ description: "The entry's sequence number in the access log." }),
    hash: hex64.openapi({ description: "The entry's hash: SHA-256(previous hash ‖ entry text)." }),
    opening: RequesterOpening,
  })
  .openapi("LogRef", {
    description:
      "The access-log entry of this decision; its text is public at /proofs/entries/{seq}.",
  });

export const Served = z
  .object({ answer: Answer, log: LogRef })
  .openapi("Served", { description: "An allowed query's answer and its access-log entry." });

export const MemberOpening = z
  .object({
    answer: hex64.openapi({ description: "The answer half of the seal, as its hash." }),
    members: hex64.openapi({ description: "The members half of the seal, as its hash." }),
  })
  .openapi("MemberOpening", {
    description:
      "Both halves of an entry's seal as hashes: SHA-256(canonical { answer, members }) is the entry's seal.",
  });

export const MemberAccess = z
  .object({
    seq: z.number().int().openapi({ description: "The entry's sequence number." }),
    at: z.string().openapi({ description: "When the query was decided (ISO 8601)." }),
    partner: z.string().openapi({ description: "The partner's address (lower case)." }),
    grantId: z.string().openapi({ description: "The grant, a decimal integer." }),
    datasetId: z.string().openapi({ description: "The dataset, a decimal integer." }),
    purpose: z.number().int().nullable().openapi({ description: "The grant's purpose bit." }),
    fields: z.array(z.string()).openapi({ description: "The fields the query read." }),
    shape: z
      .enum(["rows", "aggregate"])
      .nullable()
      .openapi({ description: "Rows or an aggregate." }),
    hash: hex64.openapi({ description: "The entry's hash." }),
    entry: z.string().openapi({ description: "The entry's text as published (canonical JSON)." }),
    prevHash: hex64.openapi({
      description: "The hash of the entry before: hash = SHA-256(prevHash ‖ entry).",
    }),
    opening: MemberOpening.nullable().openapi({
      description:
        "The halves of the entry's seal (null for entries of format 1, which have none).",
    }),
  })
  .openapi("MemberAccess", {
    description:
      "One served query that included the member's data, with what the member needs to check it: the seal from the opening, the hash from the text, then its inclusion proof under an anchor (/proofs/entries/{seq}/inclusion).",
  });

export const OwnRecord = z
  .object({
    recordId: z.string().openapi({ description: "The member's own id of the record." }),
    values: z.record(z.string(), FieldValue).openapi({ description: "The record's fields." }),
    contributedAt: z.string().openapi({ description: "When it was last stored (ISO 8601)." }),
  })
  .openapi("OwnRecord", { description: "One of the member's own live records." });
