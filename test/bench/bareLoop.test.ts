/**
 * The bare loop's pattern: serial requests one mailbox after another, steps on P workers, and the
 * hand-off of a mailbox's steps blocking while every worker is busy, as the engine's `ExecuteSerial`
 * does (the send on the unbuffered `incomingChains`).
 */
import type { RecordedRequest } from "../../provider/simulator";
import { Simulator, startSimulator } from "../../provider/simulator";
import { replayBare } from "./bareLoop";

const LATENCY_MS = 40;
let twin: Simulator;

beforeAll(async () => {
  twin = await startSimulator({ faults: { latencyMs: LATENCY_MS } });
});
afterAll(async () => {
  await twin.close();
});

/** A `mailboxes/get` as the simulator would have recorded it; `serial` marks it as asked by Check. */
function get(mailbox: string, label: string, serial = false): RecordedRequest {
  const params: Record<string, string> = { auth_username: "admin", auth_password: "admin", mailbox, label };
  if (serial) params.validation = "1";
  const rawBody = new URLSearchParams(params).toString();
  return {
    method: "POST",
    rawUrl: "/api/json/mailboxes/get/",
    rawBody,
    fn: "mailboxes/get",
    params,
    code: "404",
    httpStatus: 200,
  };
}

/** Mailbox `m`: one serial request (Check's dry run), then three step requests for a worker. */
function chain(m: string): RecordedRequest[] {
  return [get(m, `${m}-check`, true), get(m, `${m}-step1`), get(m, `${m}-step2`), get(m, `${m}-step3`)];
}

it("with every worker busy, the next mailbox's serial request waits for a worker to take the last chain", async () => {
  twin.resetLog();
  const recorded = ["1", "2", "3"].flatMap(chain);
  const run = await replayBare([recorded], twin.url, 1);
  expect(run.calls).toBe(12);
  const order = twin.requests.map((r) => r.params.label);
  // One worker: chain 1 runs on it (3 round trips) while mailbox 2 is checked; the hand-off of chain 2
  // waits for that worker, so mailbox 3 is checked only after chain 1's last step has been answered.
  // An unbounded queue would check mailbox 3 one round trip after mailbox 2, during chain 1's steps.
  expect(order.indexOf("3-check")).toBeGreaterThan(order.indexOf("1-step3"));
  expect(order.indexOf("2-check")).toBeLessThan(order.indexOf("1-step3"));
  // Each mailbox's steps keep their order, and each runs after its own check.
  for (const m of ["1", "2", "3"]) {
    const at = (s: string) => order.indexOf(`${m}-${s}`);
    expect([at("check"), at("step1"), at("step2"), at("step3")]).toEqual(
      [at("check"), at("step1"), at("step2"), at("step3")].sort((a, b) => a - b),
    );
  }
});
