/** Fault injection: each kind over real HTTP, deterministic schedules, and "lost answers". */
import { FaultSchedule, parseFaultPlan } from "../../provider/simulator/faults";
import { Simulator, startSimulator } from "../../provider/simulator";
import { ADMIN, codes, post } from "./http";

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.store.clear();
  sim.faults.clear();
  sim.resetLog();
});

const list = () => post(sim.url, "mailboxes/list", ADMIN);

describe("each fault kind", () => {
  it("5xx answers the status with an HTML body, then service resumes", async () => {
    sim.faults.set({ failNext: { kind: "5xx", count: 1 } });
    const failed = await list();
    expect(failed.status).toBe(502);
    expect(failed.text).toBe("<html>Bad Gateway</html>");
    expect(failed.headers.get("content-type")).toBe("text/html");
    expect(codes(await list())).toEqual(["200"]);
    expect(sim.requests.map((r) => [r.httpStatus, r.fault])).toEqual([
      [502, "5xx"],
      [200, undefined],
    ]);
  });

  it("5xx can use another status", async () => {
    sim.faults.set({ failNext: { kind: "5xx", count: 1, status: 503 } });
    expect((await list()).status).toBe(503);
  });

  it("429 carries Retry-After", async () => {
    sim.faults.set({ failNext: { kind: "429", count: 2 }, retryAfterSeconds: 7 });
    const first = await list();
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("7");
    expect((await list()).status).toBe(429);
    expect((await list()).status).toBe(200);
  });

  it("reset destroys the connection without an answer", async () => {
    sim.faults.set({ failNext: { kind: "reset", count: 1 } });
    await expect(list()).rejects.toThrow();
    expect(sim.requests[0]).toMatchObject({ fn: "mailboxes/list", fault: "reset", httpStatus: 0, code: "" });
    expect(codes(await list())).toEqual(["200"]);
  });

  it("hang never answers until the simulator closes", async () => {
    let signal: () => void = () => undefined;
    const logged = new Promise<void>((resolve) => (signal = resolve));
    const hanging = await startSimulator({
      faults: { failNext: { kind: "hang", count: 1 } },
      log: (line) => line.includes("fault=hang") && signal(),
    });
    try {
      const pending = post(hanging.url, "mailboxes/list", ADMIN).then(
        () => "answered",
        () => "failed",
      );
      await logged;
      expect(hanging.requests[0]).toMatchObject({ fault: "hang", httpStatus: 0, code: "" });
      // Other requests are still served meanwhile.
      expect(codes(await post(hanging.url, "mailboxes/list", ADMIN))).toEqual(["200"]);
      await hanging.close();
      expect(await pending).toBe("failed");
    } finally {
      await hanging.close();
    }
  });
});

describe("scheduling", () => {
  it("only applies faults to the named functions", async () => {
    sim.faults.set({ failNext: { kind: "5xx", count: 1 }, only: ["mailboxes/create"] });
    expect((await list()).status).toBe(200);
    expect((await post(sim.url, "mailboxes/create", { ...ADMIN, mailbox: "1", pin: "1234" })).status).toBe(
      502,
    );
    expect(sim.store.getMailbox(1, "1")).toBeUndefined();
  });

  it("processThenFail performs the write and loses the answer", async () => {
    sim.faults.set({
      failNext: { kind: "5xx", count: 1 },
      processThenFail: true,
      only: ["mailboxes/create"],
    });
    expect((await post(sim.url, "mailboxes/create", { ...ADMIN, mailbox: "1", pin: "1234" })).status).toBe(
      502,
    );
    expect(sim.store.getMailbox(1, "1")).toBeDefined();
    expect(codes(await post(sim.url, "mailboxes/create", { ...ADMIN, mailbox: "1", pin: "1234" }))).toEqual([
      "400",
    ]);
  });

  it("processThenFail with a reset loses the answer of a change that happened", async () => {
    sim.faults.set({ failNext: { kind: "reset", count: 1 }, processThenFail: true });
    await expect(
      post(sim.url, "mailboxes/create", { ...ADMIN, mailbox: "2", pin: "1234" }),
    ).rejects.toThrow();
    expect(sim.store.getMailbox(1, "2")).toBeDefined();
  });

  it("rates with a seed give the same sequence every time", async () => {
    const run = async () => {
      sim.faults.set({ seed: 42, serverErrorRate: 0.3, tooManyRequestsRate: 0.3 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await list()).status);
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 429, 502]));
  });

  it("counts requests per function, faulted ones included", async () => {
    sim.faults.set({ failNext: { kind: "429", count: 1 } });
    await list();
    await list();
    await post(sim.url, "mailboxes/get", { ...ADMIN, mailbox: "1" });
    expect(sim.counts()).toEqual({ "mailboxes/list": 2, "mailboxes/get": 1 });
    sim.resetLog();
    expect(sim.counts()).toEqual({});
  });

  it("adds latency and still answers", async () => {
    sim.faults.set({ latencyMs: 30 });
    expect(codes(await list())).toEqual(["200"]);
  });
});

describe("FaultSchedule and parseFaultPlan", () => {
  it("decides by rate from the seed, and failNext first", () => {
    const schedule = new FaultSchedule({ failNext: { kind: "hang", count: 1 }, resetRate: 1 });
    expect(schedule.decide("x")?.kind).toBe("hang");
    expect(schedule.decide("x")?.kind).toBe("reset");
    schedule.clear();
    expect(schedule.decide("x")).toBeUndefined();
    expect(new FaultSchedule({ latencyMs: 5, only: ["a"] }).latencyFor("b")).toBe(0);
  });

  it("rejects a malformed plan with a reason", () => {
    expect(parseFaultPlan({ serverErrorRate: 2 })).toMatchObject({
      ok: false,
      error: expect.stringContaining("serverErrorRate"),
    });
    expect(parseFaultPlan({ failNext: { kind: "boom", count: 1 } }).ok).toBe(false);
    expect(parseFaultPlan({ bogus: 1 }).ok).toBe(false);
    expect(parseFaultPlan({ failNext: { kind: "429", count: 3 }, only: ["mailboxes/get"] }).ok).toBe(true);
  });
});
