/**
 * The engine's call sequences (Pulumi v3.248.0, replayed by `test/support/engineStandIn.ts`), one test
 * each, through Pulumi's own dynamic provider host and the packed package, against the simulator.
 * The Pulumi function each sequence copies is named in the stand-in's documentation.
 */
import { mailboxProgram, MailboxDeclaration } from "../support/mailboxProgram";
import { ProgramRun, runProgram } from "../support/programRun";
import { EngineState, storedConfig } from "../support/engineStandIn";
import { secret } from "../support/propertyValues";
import { startTestbed, Testbed } from "../support/testbed";

jest.setTimeout(180_000); // each `up` starts a fresh provider host, as the engine does

let bed: Testbed;

beforeAll(async () => {
  // A switch with a PIN length rule (a strict mode): something its verdict can refuse after a refresh.
  bed = await startTestbed({ name: "sequences", simulator: { pinRule: { minLength: 4, maxLength: 10 } } });
});

afterAll(async () => {
  await bed?.close();
});

let programs = 0;

/** `pulumi up` (or preview) of `mailboxes` from `state`, through a fresh host as the engine starts one. */
async function up(
  mailboxes: MailboxDeclaration[],
  options: Partial<Parameters<typeof runProgram>[0]> & { config?: Record<string, string> } = {},
): Promise<ProgramRun> {
  const program = `sequence-${++programs}.js`;
  bed.project.writeFile(program, mailboxProgram(mailboxes));
  const host = await bed.startHost({ ...bed.providerConfig, ...options.config });
  try {
    return await runProgram({ ...options, project: bed.project, host, program, config: undefined });
  } finally {
    await host.close();
  }
}

/** The calls made for one resource, as `method` or `check({})`. */
function callsOf(run: ProgramRun, name: string): string[] {
  return (run.calls ?? [])
    .filter((c) => c.urn.endsWith(`::${name}`))
    .map((c) => (c.method === "check" && c.emptyOlds ? "check({})" : c.method));
}

const mailbox = (name: string, number: string, extra: Record<string, unknown> = {}): MailboxDeclaration => ({
  name,
  args: { mailbox: number, pin: "48151623", ...extra },
});

describe("the engine's sequences through the provider host", () => {
  it("checks one resource at a time, while steps run on workers", async () => {
    const run = await up(
      [5101, 5102, 5103, 5104].map((n) => mailbox(`serial-${n}`, String(n))),
      {
        parallel: 4,
      },
    );
    expect(run.errors).toEqual([]);
    const judged = (run.calls ?? []).filter((c) => c.method === "check" || c.method === "diff");
    expect(judged).toHaveLength(4);
    expect(judged.map((c) => c.checksAndDiffsInFlight)).toEqual([0, 0, 0, 0]);
    expect(run.steps.map((s) => s.op)).toEqual(["create", "create", "create", "create"]);
  });

  it("replaces a new number: Check, Diff, the second Check with no olds (which passes), create, then delete", async () => {
    const first = await up([mailbox("renumbered", "5201")]);
    const second = await up([mailbox("renumbered", "5202")], { state: first.state });
    expect(second.errors).toEqual([]);
    expect(callsOf(second, "renumbered")).toEqual(["check", "diff", "check({})", "create", "delete"]);
    expect(second.steps[0]).toMatchObject({
      op: "replace",
      replaces: ["mailbox"],
      deleteBeforeReplace: false,
    });
    expect(bed.sim.store.getMailbox(1, "5201")).toBeUndefined();
    expect(bed.sim.store.getMailbox(1, "5202")).toBeDefined();
  });

  it("keeps the mailbox when only the connection changes to a profile of the same switch: an update, no delete", async () => {
    const config = {
      "enswitch:connections": JSON.stringify({
        again: { url: bed.sim.url, username: "admin", password: bed.providerConfig["enswitch:password"] },
      }),
    };
    const first = await up([mailbox("moved", "5301")], { config });
    bed.sim.resetLog();
    const second = await up([mailbox("moved", "5301", { connection: "again" })], {
      state: first.state,
      config,
    });
    expect(second.errors).toEqual([]);
    expect(callsOf(second, "moved")).toEqual(["check", "diff", "update"]);
    expect(
      bed.sim.requests.filter((r) => r.fn === "mailboxes/delete" || r.fn === "mailboxes/create"),
    ).toEqual([]);
    expect(second.state?.resources[0]?.outputs).toMatchObject({ connection: "again", mailbox: "5301" });
  });

  it("deletes first when the deleteBeforeReplace option says so, overriding the provider's create-first", async () => {
    const first = await up([mailbox("dbr", "5401")]);
    const second = await up([{ ...mailbox("dbr", "5402"), opts: { deleteBeforeReplace: true } }], {
      state: first.state,
    });
    expect(second.errors).toEqual([]);
    expect(callsOf(second, "dbr")).toEqual(["check", "diff", "check({})", "delete", "create"]);
    expect(second.steps[0]).toMatchObject({ op: "replace", deleteBeforeReplace: true });
  });

  it("refreshes as preview + Read + Diff: one get per mailbox per pass, drift reported, never refused", async () => {
    const declared = [mailbox("steady", "5501"), mailbox("drifted", "5502")];
    const first = await up(declared);
    bed.sim.store.putMailbox(1, { mailbox: "5502", description: "changed by hand" });
    // The program now asks for a PIN this switch refuses: its verdict belongs to check, not to refresh.
    const next = [declared[0]!, mailbox("drifted", "5502", { pin: "481516234208" })];
    bed.sim.resetLog();
    const run = await up(next, { state: first.state, refresh: true });
    const refreshSteps = run.steps.filter((s) => s.op === "refresh");
    expect(refreshSteps.map((s) => [s.urn.split("::").pop(), s.preview ?? false, s.drift])).toEqual(
      expect.arrayContaining([
        ["steady", true, false],
        ["drifted", true, true],
        ["steady", false, false],
        ["drifted", false, true],
      ]),
    );
    expect(refreshSteps).toHaveLength(4);
    expect(callsOf(run, "drifted").slice(0, 4)).toEqual(["read", "diff", "read", "diff"]);
    // The refresh itself: 2 passes × 2 mailboxes × one get each, and no dry run.
    const mailboxCalls = bed.sim.requests.filter((r) => r.fn.startsWith("mailboxes/"));
    expect(mailboxCalls.slice(0, 4).map((r) => r.fn)).toEqual(Array(4).fill("mailboxes/get"));
    // The `up` after it is where the switch's verdict blocks, on the property.
    expect(run.errors.map((e) => [e.urn.split("::").pop(), e.failures?.[0]?.property])).toEqual([
      ["drifted", "pin"],
    ]);
  });

  it("stops at the first Check failure: nothing after it is checked, nothing deleted", async () => {
    const first = await up([mailbox("kept", "5601")]);
    // Same keys in each, so that the program registers them in this order.
    const declared = [
      mailbox("good", "5602", { notifyEmail: "owner_wav" }),
      mailbox("bad", "5603", { notifyEmail: "never" }),
      mailbox("after", "5604", { notifyEmail: "owner_wav" }),
    ];
    const run = await up(declared, { state: first.state });
    const order = (run.calls ?? []).map((c) => `${c.method} ${c.urn.split("::").pop()}`);
    // Nothing is checked after the failed Check.
    expect(order.slice(order.indexOf("check bad") + 1).filter((c) => c.startsWith("check"))).toEqual([]);
    expect(run.errors.map((e) => e.urn.split("::").pop())).toEqual(["bad"]);
    expect(run.errors[0]?.failures?.[0]?.property).toBe("notifyEmail");
    for (const name of ["good", "after"]) {
      // Either checked before the failure, or never reached (skipped): never both, never neither.
      expect(callsOf(run, name).includes("check({})")).toBe(
        !run.skipped?.some((u) => u.endsWith(`::${name}`)),
      );
    }
    expect(callsOf(run, "kept")).toEqual([]); // not deleted: the deployment bailed
    expect(bed.sim.store.getMailbox(1, "5601")).toBeDefined();
  });

  it("stops at the first failed step unless continueOnError", async () => {
    // Made by hand with other settings: never taken for ours.
    bed.sim.store.putMailbox(1, { mailbox: "5701", pin: "11112222", description: "made by hand" });
    const config = { "enswitch:dryRunCreates": "false" };
    const declared = [mailbox("taken", "5701"), mailbox("next", "5702"), mailbox("last", "5703")];
    const stopped = await up(declared, { config, parallel: 1 });
    expect(stopped.errors.map((e) => e.urn.split("::").pop())).toEqual(["taken"]);
    expect(stopped.errors[0]?.message).toMatch(/already exists/);
    expect(bed.sim.store.getMailbox(1, "5702")).toBeUndefined();
    expect(bed.sim.store.getMailbox(1, "5703")).toBeUndefined();

    const going = await up(declared, { config, parallel: 1, continueOnError: true });
    expect(going.errors.map((e) => e.urn.split("::").pop())).toEqual(["taken"]);
    expect(bed.sim.store.getMailbox(1, "5702")).toBeDefined();
    expect(bed.sim.store.getMailbox(1, "5703")).toBeDefined();
  });

  it("refresh and destroy use the config stored at the last up, and a refused stored login says what to do", async () => {
    const first = await up([mailbox("stored", "5801")]);
    const state = first.state as EngineState;
    expect(storedConfig(state)).toEqual(bed.providerConfig);
    expect(state.config?.["enswitch:password"]).toEqual(
      secret(bed.providerConfig["enswitch:password"] ?? ""),
    );
    // The password was rotated after that up: the stored one is refused.
    const stale: EngineState = {
      ...state,
      config: { ...state.config, "enswitch:password": secret("rotated-away") },
    };
    const host = await bed.startHost(storedConfig(stale));
    try {
      const refreshed = await runProgram({
        project: bed.project,
        host,
        program: "none.js",
        state: stale,
        refresh: true,
      });
      expect(refreshed.errors[0]?.message).toMatch(
        /stored in the stack's state at the last `pulumi up`.*--run-program/,
      );
    } finally {
      await host.close();
    }
    const good = await bed.startHost(storedConfig(state));
    try {
      const destroyed = await runProgram({
        project: bed.project,
        host: good,
        program: "none.js",
        state: first.state,
        destroy: true,
      });
      expect(destroyed.errors).toEqual([]);
      expect(destroyed.state?.resources).toEqual([]);
      expect(bed.sim.store.getMailbox(1, "5801")).toBeUndefined();
    } finally {
      await good.close();
    }
  });
});
