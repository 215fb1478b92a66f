import { HttpReply, readAnswer } from "../../provider/enswitch/envelope";
import {
  EnswitchAuthenticationError,
  EnswitchError,
  EnswitchNotFoundError,
  EnswitchRatePlanError,
  EnswitchRoleError,
  EnswitchServerError,
  EnswitchTransportError,
  EnswitchValidationError,
} from "../../provider/enswitch/errors";
import { redactor } from "../../provider/enswitch/redact";
import { failureOf } from "../../provider/enswitch/retry";

const SECRET = "Hunter2-Secret";
const ctx = { fn: "mailboxes/create", validation: false, redact: redactor([SECRET]) };

function json(body: unknown, status = 200): HttpReply {
  return { status, contentType: "application/json", body: JSON.stringify(body) };
}

function entries(...codes: [string, string?, string?][]) {
  return { responses: codes.map(([code, key = "", message = ""]) => ({ code, key, message })) };
}

function failure(reply: HttpReply, context = ctx): EnswitchError {
  try {
    readAnswer(reply, context);
  } catch (error) {
    expect(error).toBeInstanceOf(EnswitchError);
    return error as EnswitchError;
  }
  throw new Error("expected an error");
}

describe("readAnswer: success codes", () => {
  it("returns 200 with its data and every entry", () => {
    const answer = readAnswer(json({ ...entries(["200", "", "OK"]), data: { mailbox: "1234" } }), ctx);
    expect(answer).toEqual({
      code: "200",
      responses: [{ code: "200", key: "", message: "OK" }],
      data: { mailbox: "1234" },
    });
  });

  it("returns 204 without data", () => {
    expect(readAnswer(json(entries(["204"])), ctx)).toEqual({
      code: "204",
      responses: [{ code: "204", key: "", message: "" }],
    });
  });

  it("accepts 201 only when validation=1 was sent", () => {
    expect(readAnswer(json(entries(["201"])), { ...ctx, validation: true }).code).toBe("201");
    const error = failure(json(entries(["201"])));
    expect(error).toBeInstanceOf(EnswitchServerError);
    expect(error.message).toMatch(/nothing was done/);
  });

  it("accepts numeric codes as text", () => {
    expect(readAnswer(json({ responses: [{ code: 204, key: "", message: "OK" }] }), ctx).code).toBe("204");
  });
});

describe("readAnswer: envelope errors", () => {
  it.each([
    ["401", EnswitchAuthenticationError, /enswitch:username and enswitch:password/],
    ["402", EnswitchRoleError, /administrator/],
    ["403", EnswitchRatePlanError, /rate plan/],
    ["404", EnswitchNotFoundError, /does not exist/],
    ["500", EnswitchServerError, /failure \(500\)/],
    ["999", EnswitchServerError, /unknown code 999/],
  ])("maps %s to its class with a hint", (code, kind, hint) => {
    const error = failure(json(entries([code, "", "switch text"])));
    expect(error).toBeInstanceOf(kind);
    expect(error.code).toBe(code);
    expect(error.fn).toBe("mailboxes/create");
    expect(error.message).toMatch(/^mailboxes\/create: /);
    expect(error.message).toContain("switch text");
    expect(error.message).toMatch(hint);
    expect(failureOf(error).kind).toBe("final");
  });

  it("turns a 400 into a validation error with the key and the camelCase field", () => {
    const error = failure(
      json(entries(["400", "notify_email", "Invalid notify_email"])),
    ) as EnswitchValidationError;
    expect(error).toBeInstanceOf(EnswitchValidationError);
    expect(error.key).toBe("notify_email");
    expect(error.field).toBe("notifyEmail");
    expect(error.message).toContain("notify_email (notifyEmail): Invalid notify_email");
  });

  it("keeps every 400 entry and names every key", () => {
    const error = failure(json(entries(["400", "pin", "bad pin"], ["400", "timezone", "bad zone"])));
    expect(error.responses).toHaveLength(2);
    expect(error.message).toContain("pin (pin): bad pin");
    expect(error.message).toContain("timezone (timezone): bad zone");
  });

  it("ends each of the switch's sentences once, not with a second full stop", () => {
    const error = failure(json(entries(["400", "pin", "Invalid pin: must be 4 to 10 digits."])));
    expect(error.message).toContain("pin (pin): Invalid pin: must be 4 to 10 digits. Fix the named input");
    expect(error.message).not.toContain("..");
  });

  it("never takes a mixed answer for a success", () => {
    const error = failure(json(entries(["204", "", "OK"], ["400", "owner", "no such person"])));
    expect(error).toBeInstanceOf(EnswitchValidationError);
    expect(error.message).toMatch(/also held a success entry/);
    expect(error.responses.map((r) => r.code)).toEqual(["204", "400"]);
  });

  it("lets the most telling error win when several kinds are present", () => {
    expect(failure(json(entries(["400", "pin"], ["401"])))).toBeInstanceOf(EnswitchAuthenticationError);
    expect(failure(json(entries(["400", "pin"], ["404"])))).toBeInstanceOf(EnswitchNotFoundError);
  });

  it("redacts secrets echoed in the switch's message", () => {
    const error = failure(json(entries(["400", "pin", `PIN ${SECRET} is weak`])));
    expect(error.message).not.toContain(SECRET);
    expect(error.responses[0].message).not.toContain(SECRET);
  });
});

describe("readAnswer: answers that are not an envelope", () => {
  it("reports an HTML page with its status, type and start, secrets removed", () => {
    const body = `<html><body><h1>Login</h1><p>password ${SECRET}</p>${"x".repeat(500)}</body></html>`;
    const error = failure({ status: 200, contentType: "text/html", body });
    expect(error).toBeInstanceOf(EnswitchTransportError);
    expect(error.message).toContain("HTTP 200 (text/html");
    expect(error.message).toContain("<html><body><h1>Login</h1>");
    expect(error.message).not.toContain(SECRET);
    expect(error.message).toMatch(/enswitch:url/);
    expect(error.message.length).toBeLessThan(500);
    expect(failureOf(error).kind).toBe("final");
  });

  it.each([
    ["truncated JSON", '{"responses":[{"code":"204","key"', /malformed or truncated JSON/],
    ["an empty body", "", /empty body/],
    ["an empty responses array", '{"responses":[]}', /empty responses array/],
    ["no responses at all", '{"data":{}}', /without a responses array/],
    ["entries without code", '{"responses":[{"message":"OK"}]}', /have no code/],
    ["a JSON array", "[]", /without a responses array/],
  ])("reports %s as a transport error", (_, body, message) => {
    const error = failure({ status: 200, contentType: "application/json", body });
    expect(error).toBeInstanceOf(EnswitchTransportError);
    expect(error.message).toMatch(message);
  });

  it("reports HTTP 502 with an HTML body as a server error that may have been processed", () => {
    const error = failure({ status: 502, contentType: "text/html", body: "<html>Bad Gateway</html>" });
    expect(error).toBeInstanceOf(EnswitchServerError);
    expect((error as EnswitchServerError).status).toBe(502);
    expect(error.message).toContain('HTTP 502 (text/html, 24 bytes): "<html>Bad Gateway</html>"');
    expect(failureOf(error).kind).toBe("maybe-processed");
  });

  it("reports HTTP 503 without a body", () => {
    const error = failure({ status: 503, contentType: "", body: "" });
    expect(error.message).toContain("HTTP 503 (no content-type) with an empty body");
  });

  it("reports 429 as unprocessed with its Retry-After", () => {
    const error = failure({ status: 429, contentType: "text/plain", body: "slow down", retryAfter: "3" });
    expect(error).toBeInstanceOf(EnswitchServerError);
    expect(failureOf(error)).toEqual({ kind: "unprocessed", retryAfterMs: 3000 });
  });

  it("does not trust a success envelope under a non-2xx status", () => {
    const error = failure(json(entries(["204"]), 404));
    expect(error).toBeInstanceOf(EnswitchTransportError);
    expect(error.message).toMatch(/HTTP status is 404/);
  });

  it("still maps an error envelope that arrives with a non-2xx status", () => {
    expect(failure(json(entries(["401"]), 401))).toBeInstanceOf(EnswitchAuthenticationError);
  });

  it("reports a non-JSON 404 page with the status as code", () => {
    const error = failure({ status: 404, contentType: "text/html", body: "<h1>Not Found</h1>" });
    expect(error).toBeInstanceOf(EnswitchTransportError);
    expect(error.code).toBe("404");
  });
});
