import http from "node:http";
import { AddressInfo } from "node:net";
import { EnswitchTimeoutError, EnswitchTransportError } from "../../provider/enswitch/errors";
import { closeAgents } from "../../provider/enswitch/pool";
import { failureOf } from "../../provider/enswitch/retry";
import { encodeParams, functionUrl, sendAttempt } from "../../provider/enswitch/transport";
import { FakeSwitch, envelope, startFakeSwitch } from "./fake-switch";
import { manualTimer } from "./manual-timer";

const HOSTILE = "a;b&c=d%e+f g\nh\r\ni\u00e9\u4e2d\u{1F600}/?#";
const redact = (text: string) => text;

let fake: FakeSwitch;
beforeAll(async () => {
  fake = await startFakeSwitch(envelope([{ code: "204" }]));
});
afterAll(async () => {
  await fake.close();
  await closeAgents();
});
beforeEach(() => fake.script(envelope([{ code: "204" }])));

function spec(overrides: Partial<Parameters<typeof sendAttempt>[0]> = {}): Parameters<typeof sendAttempt>[0] {
  return {
    baseUrl: new URL(fake.url),
    fn: "mailboxes/create",
    method: "POST",
    params: { auth_username: "admin", auth_password: "pw;&=", description: HOSTILE },
    timeoutMs: 5000,
    redact,
    ...overrides,
  };
}

describe("request building", () => {
  it("appends category/action/ to the base URL, prefix mounts included", () => {
    expect(functionUrl(new URL("https://h/local/api/json/"), "mailboxes/destinations/list").toString()).toBe(
      "https://h/local/api/json/mailboxes/destinations/list/",
    );
  });

  it("form-encodes every separator and non-ASCII character", () => {
    const encoded = encodeParams({ d: HOSTILE });
    expect(encoded.slice("d=".length)).not.toMatch(/[;&=\n\r #?]/);
    expect(new URLSearchParams(encoded).get("d")).toBe(HOSTILE);
  });
});

describe("sendAttempt over HTTP", () => {
  it("POSTs a form body: credentials and values never in the URL, every value intact", async () => {
    const reply = await sendAttempt(spec());
    expect(reply.status).toBe(200);
    const seen = fake.requests.at(-1)!;
    expect(seen.method).toBe("POST");
    expect(seen.rawUrl).toBe("/api/json/mailboxes/create/");
    expect(seen.params.get("description")).toBe(HOSTILE);
    expect(seen.params.get("auth_password")).toBe("pw;&=");
    expect([...seen.params.keys()]).toEqual(["auth_username", "auth_password", "description"]);
  });

  it("GETs with an encoded query when asked", async () => {
    await sendAttempt(spec({ method: "GET" }));
    const seen = fake.requests.at(-1)!;
    expect(seen.method).toBe("GET");
    expect(seen.rawUrl.startsWith("/api/json/mailboxes/create/?")).toBe(true);
    expect(seen.rawUrl).not.toContain(";");
    expect(seen.params.get("description")).toBe(HOSTILE);
    expect([...seen.params.keys()]).toEqual(["auth_username", "auth_password", "description"]);
  });

  it("returns non-200 answers with status, type, body and Retry-After for the envelope reader", async () => {
    fake.script({ status: 429, headers: { "content-type": "text/plain", "retry-after": "7" }, body: "busy" });
    expect(await sendAttempt(spec())).toEqual({
      status: 429,
      contentType: "text/plain",
      body: "busy",
      retryAfter: "7",
    });
  });

  it("turns a reset connection into a transport error that may have been processed", async () => {
    fake.script({ reset: true });
    const error = await sendAttempt(spec()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnswitchTransportError);
    expect(failureOf(error).kind).toBe("maybe-processed");
    expect((error as Error).message).toMatch(/may or may not have been carried out/);
  });

  it("turns a hang into a timeout error", async () => {
    fake.script({ hang: true });
    const error = await sendAttempt(spec({ timeoutMs: 200 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnswitchTimeoutError);
    expect((error as EnswitchTimeoutError).code).toBe("TIMEOUT");
    expect((error as Error).message).toContain("within 200 ms");
    expect(failureOf(error).kind).toBe("maybe-processed");
  });

  it("times out when the injected timer fires, and cancels the timer of an answered attempt", async () => {
    const timer = manualTimer();
    fake.script(() => {
      timer.expire();
      return { hang: true };
    });
    const error = await sendAttempt(spec({ timeoutMs: 60_000, timer: timer.attemptTimer })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EnswitchTimeoutError);
    expect((error as Error).message).toContain("within 60000 ms");
    fake.script(envelope([{ code: "204" }]));
    expect((await sendAttempt(spec({ timer: timer.attemptTimer }))).status).toBe(200);
    expect(() => timer.expire()).toThrow(/no attempt is waiting/);
  });

  it("turns a refused connection into a transport error that certainly did nothing", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await sendAttempt(spec({ baseUrl: new URL(`http://127.0.0.1:${port}/api/json/`) })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EnswitchTransportError);
    expect((error as Error).message).toContain("ECONNREFUSED");
    expect(failureOf(error).kind).toBe("unprocessed");
  });

  it("keeps secrets out of socket error text and causes", async () => {
    fake.script({ reset: true });
    const error = (await sendAttempt(spec({ redact: (t) => t.split("closed").join("[redacted]") })).catch(
      (e: unknown) => e,
    )) as Error;
    expect((error.cause as Error).message).toContain("[redacted]");
    expect((error.cause as Error).message).not.toContain("closed");
    expect(error.message).not.toContain("closed");
  });
});
