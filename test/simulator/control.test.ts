/** The /_simulator/ control API, as a test drives a simulator running in another process. */
import { Simulator, startSimulator } from "../../provider/simulator";
import { ADMIN, codes, post } from "./http";

let sim: Simulator;
let base: string;

beforeAll(async () => {
  sim = await startSimulator();
  base = sim.url.replace("/api/json/", "/_simulator/");
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.store.clear();
  sim.faults.clear();
  sim.resetLog();
});

async function control(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text === "" ? undefined : (JSON.parse(text) as unknown) };
}

describe("faults", () => {
  it("POST sets a plan, GET shows it, DELETE clears it", async () => {
    expect((await control("POST", "faults", { failNext: { kind: "5xx", count: 1 } })).status).toBe(204);
    expect((await control("GET", "faults")).json).toEqual({ failNext: { kind: "5xx", count: 1 } });
    expect((await post(sim.url, "mailboxes/list", ADMIN)).status).toBe(502);
    await control("POST", "faults", { failNext: { kind: "5xx", count: 1 } });
    expect((await control("DELETE", "faults")).status).toBe(204);
    expect((await post(sim.url, "mailboxes/list", ADMIN)).status).toBe(200);
  });

  it("refuses an invalid plan with 400 and a reason", async () => {
    const answer = await control("POST", "faults", { hangRate: -1 });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: expect.stringContaining("hangRate") });
  });
});

describe("the request log", () => {
  it("GET requests and counts, POST reset-log; control calls are not recorded", async () => {
    await post(sim.url, "mailboxes/list", ADMIN);
    const requests = (await control("GET", "requests")).json as {
      fn: string;
      method: string;
      rawBody: string;
    }[];
    expect(requests).toEqual([
      expect.objectContaining({ fn: "mailboxes/list", method: "POST", code: "200" }),
    ]);
    expect(requests[0]?.rawBody).toBe("auth_username=admin&auth_password=admin");
    expect((await control("GET", "counts")).json).toEqual({ "mailboxes/list": 1 });
    expect((await control("POST", "reset-log")).status).toBe(204);
    expect((await control("GET", "counts")).json).toEqual({});
  });
});

describe("mailboxes behind Pulumi's back", () => {
  it("PUT writes, GET reads (without PIN), DELETE removes, and the API sees it", async () => {
    const put = await control("PUT", "mailboxes/1/1234", {
      pin: "1234",
      description: "by hand",
      destinations: [],
    });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ mailbox: "1234", description: "by hand" });
    const got = await control("GET", "mailboxes/1/1234");
    expect(got.json).toMatchObject({
      mailbox: "1234",
      customer: 1,
      description: "by hand",
      destinations: [],
    });
    expect(got.json).not.toHaveProperty("pin");
    expect((await control("GET", "mailboxes/1")).json).toHaveLength(1);
    expect((await control("POST", "mailboxes/1/1234/pin-check", { pin: "1234" })).json).toEqual({
      matches: true,
    });
    expect(codes(await post(sim.url, "mailboxes/get", { ...ADMIN, mailbox: "1234" }))).toEqual(["200"]);
    expect((await control("DELETE", "mailboxes/1/1234")).status).toBe(204);
    expect((await control("GET", "mailboxes/1/1234")).status).toBe(404);
    expect((await control("DELETE", "mailboxes/1/1234")).status).toBe(404);
  });

  it("PUT rate-plans switches a customer's plan; POST clear empties the switch", async () => {
    expect((await control("PUT", "rate-plans/1", { allowsMailboxes: false })).status).toBe(204);
    const create = { ...ADMIN, mailbox: "6", pin: "1234" };
    expect(codes(await post(sim.url, "mailboxes/create", create))).toEqual(["403"]);
    await control("PUT", "rate-plans/1", { allowsMailboxes: true });
    expect(codes(await post(sim.url, "mailboxes/create", create))).toEqual(["204"]);
    await control("PUT", "mailboxes/1/5", {});
    expect((await control("POST", "clear")).status).toBe(204);
    expect((await control("GET", "mailboxes/1")).json).toEqual([]);
  });

  it("answers unknown endpoints and bad bodies with a JSON error, never a crash", async () => {
    expect((await control("GET", "nothing")).status).toBe(404);
    expect((await control("GET", "counts/extra")).status).toBe(404);
    expect((await control("PUT", "rate-plans/1/2", { allowsMailboxes: true })).status).toBe(400);
    expect((await control("PUT", "mailboxes/x/1", {})).status).toBe(400);
    const broken = await fetch(`${base}faults`, { method: "POST", body: "{" });
    expect(broken.status).toBe(400);
    expect((await control("GET", "mailboxes/1/%E0%A4%A")).status).toBe(400);
  });
});
