/**
 * The provider loads the Enswitch client (and with it undici) on the first request, not with the
 * provider module: Check and Diff are serial in the engine, and a preview of an unchanged fleet
 * makes no request, so loading them there would only add to its time (BENCHMARKS.md, "Cuts of ours").
 */
import { checkInputs } from "../../provider/mailbox/inputs";
import { Simulator, startSimulator } from "../../provider/simulator";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim?.close();
});

it("checks and diffs an unchanged mailbox without loading the client; the first request loads it once", async () => {
  let loads = 0;
  await jest.isolateModulesAsync(async () => {
    jest.doMock("../../provider/enswitch/client", () => {
      loads++;
      return jest.requireActual("../../provider/enswitch/client");
    });
    const { MailboxProvider } = await import("../../provider/mailbox/provider");
    const { closeAgents } = await import("../../provider/enswitch/pool");
    try {
      const p = new MailboxProvider();
      const values: Record<string, unknown> = {
        "enswitch:url": sim.url,
        "enswitch:username": "admin",
        "enswitch:password": "admin",
      };
      await p.configure({ config: { get: (key: string) => values[key] } });
      const news = { mailbox: "2001", pin: "4821", description: "Sales" };
      // What the engine holds after a deployment: check's inputs, and outputs with the customer.
      const olds = checkInputs(news).inputs;
      const checked = await p.check(olds, news);
      expect(checked.failures).toBeUndefined();
      expect(await p.diff("1/2001", { ...olds, customer: 1, stateVersion: 1 }, checked.inputs)).toEqual({
        changes: false,
      });
      expect(loads).toBe(0);
      expect(sim.requests).toHaveLength(0);

      // A changed description is asked about (`mailboxes/update`, validation=1): the client loads now.
      await p.check(olds, { ...news, description: "Sales team" });
      await p.check(olds, { ...news, description: "Sales desk" });
      expect(loads).toBe(1);
      expect(sim.requests.map((r) => `${r.fn} ${r.params.validation}`)).toEqual([
        "mailboxes/update 1",
        "mailboxes/update 1",
      ]);
    } finally {
      await closeAgents();
    }
  });
});
