/** The one list of error codes, and the error type that carries them. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CoopError, ERROR_CODES, GatewayError, isErrorCode, statusesOf } from "../src/errors.ts";

describe("error codes", () => {
  it("gives each code its status(es) and a meaning", () => {
    assert.deepEqual(statusesOf("invalid_request"), [400]);
    assert.deepEqual(statusesOf("deadline_passed"), [401, 422]);
    for (const code of Object.keys(ERROR_CODES)) {
      assert.ok(isErrorCode(code));
      for (const status of statusesOf(code)) {
        assert.ok(status >= 400 && status < 600, code);
      }
    }
    assert.equal(isErrorCode("request_invalid"), false);
    assert.equal(isErrorCode("toString"), false);
  });

  it("carries code, status and details; a layer's subclass is a CoopError", () => {
    const error = new GatewayError(422, "records_invalid", "Row 3: age is not a number.", [
      { row: 3 },
    ]);
    assert.ok(error instanceof CoopError);
    assert.deepEqual(
      [error.name, error.status, error.code],
      ["GatewayError", 422, "records_invalid"],
    );
    assert.deepEqual(error.details, [{ row: 3 }]);
  });

  it("refuses, at compile time, a code outside the list or a status the list does not give it", () => {
    // These lines are checked by `npm run lint:types` (tsc -p protocol); at run time they just construct.
    // @ts-expect-error: not a code in the list
    void new CoopError(400, "request_invalid", "");
    // @ts-expect-error: bad_signature is a 401, never a 404
    void new CoopError(404, "bad_signature", "");
    void new CoopError(401, "bad_signature", "");
  });
});
