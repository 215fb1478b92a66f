/**
 * The engine stand-in's sequences that the mailbox provider cannot show (it never asks for
 * delete-before-replace, nor answers Diff with "unknown"), on a scripted provider in-process.
 */
import { EngineStandIn, EngineState } from "./engineStandIn";
import type { CheckResult, DiffResult, ProviderOperations } from "./providerClient";
import { PropertyMap, UNKNOWN } from "./propertyValues";
import { RegistrationLog } from "./registrationLog";

const TYPE = "pulumi-nodejs:dynamic/test:Thing";

/** A provider whose Diff answer is scripted; Check echoes the news; Create/Update echo inputs. */
function scripted(diff: Partial<DiffResult> = {}) {
  const seen: { method: string; args: PropertyMap[] }[] = [];
  const provider: ProviderOperations = {
    configure: async () => ({ acceptSecrets: false }),
    check: async (_urn, olds, news): Promise<CheckResult> => {
      seen.push({ method: "check", args: [olds, news] });
      return { inputs: news, failures: news.bad ? [{ property: "bad", reason: "is bad" }] : [] };
    },
    diff: async (_urn, _id, olds, news) => {
      seen.push({ method: "diff", args: [olds, news] });
      return { changes: true, replaces: [], deleteBeforeReplace: false, ...diff };
    },
    create: async (_urn, properties) => {
      seen.push({ method: "create", args: [properties] });
      return { id: `id-${String(properties.n)}`, properties: { ...properties, out: "created" } };
    },
    read: async () => ({ id: "", properties: {}, inputs: undefined }),
    update: async (_urn, _id, _olds, news) => {
      seen.push({ method: "update", args: [news] });
      return { properties: { ...news, out: "updated" } };
    },
    delete: async () => {
      seen.push({ method: "delete", args: [] });
    },
  };
  return { provider, seen };
}

/** One registration with these resource options, logged as the program child logs it. */
function register(
  log: RegistrationLog,
  name: string,
  inputs: PropertyMap,
  opts: { dbr?: boolean; ignore?: string[] } = {},
) {
  log.all.push({
    type: TYPE,
    name,
    urn: log.urnOf("", TYPE, name),
    custom: true,
    parent: "",
    inputs,
    additionalSecretOutputs: [],
    deleteBeforeReplace: opts.dbr ?? false,
    deleteBeforeReplaceDefined: opts.dbr !== undefined,
    ignoreChanges: opts.ignore ?? [],
  });
  return { type: TYPE, name, inputs, custom: true };
}

async function deployed(inputs: PropertyMap): Promise<EngineState> {
  const { provider } = scripted();
  const log = new RegistrationLog("s", "p");
  const engine = new EngineStandIn({ provider, project: "p", stack: "s", registrations: log });
  await engine.newResource(register(log, "a", inputs));
  return engine.finish();
}

describe("the engine stand-in on a scripted provider", () => {
  it("lets the deleteBeforeReplace option override the provider both ways", async () => {
    const state = await deployed({ n: 1 });
    for (const [providerSays, option, expected] of [
      [true, false, ["check", "diff", "check", "create", "delete"]],
      [false, true, ["check", "diff", "check", "delete", "create"]],
      [true, undefined, ["check", "diff", "check", "delete", "create"]],
    ] as const) {
      const { provider, seen } = scripted({ replaces: ["n"], deleteBeforeReplace: providerSays });
      const log = new RegistrationLog("s", "p");
      const engine = new EngineStandIn({ provider, project: "p", stack: "s", state, registrations: log });
      await engine.newResource(register(log, "a", { n: 2 }, { dbr: option }));
      await engine.finish();
      expect(seen.map((s) => s.method)).toEqual(expected);
      // The second Check of a replacement has no olds.
      expect(seen[2]?.args[0]).toEqual({});
    }
  });

  it("puts the old value of an ignored property back before Check, and compares without it", async () => {
    const state = await deployed({ n: 1, note: "old" });
    const { provider, seen } = scripted({ changes: undefined });
    const log = new RegistrationLog("s", "p");
    const engine = new EngineStandIn({ provider, project: "p", stack: "s", state, registrations: log });
    await engine.newResource(register(log, "a", { n: 1, note: "new" }, { ignore: ["note"] }));
    expect(seen[0]?.args[1]).toEqual({ n: 1, note: "old" });
    expect(engine.steps.map((s) => s.op)).toEqual(["same"]);
  });

  it("previews a create and an update with the checked inputs as outputs, calling neither", async () => {
    const state = await deployed({ n: 1 });
    const { provider, seen } = scripted();
    const log = new RegistrationLog("s", "p");
    const engine = new EngineStandIn({
      provider,
      project: "p",
      stack: "s",
      state,
      registrations: log,
      preview: true,
    });
    const updated = await engine.newResource(register(log, "a", { n: 1, extra: UNKNOWN }));
    const created = await engine.newResource(register(log, "b", { n: 3 }));
    expect(updated.state).toEqual({ n: 1, extra: UNKNOWN });
    expect(created).toEqual({ id: "", state: { n: 3 } });
    expect(seen.map((s) => s.method)).toEqual(["check", "diff", "check"]);
    expect(await engine.finish()).toEqual(state);
  });

  it("refuses unknown values outside preview, as the engine never sends them in up", async () => {
    const { provider } = scripted();
    const log = new RegistrationLog("s", "p");
    const engine = new EngineStandIn({ provider, project: "p", stack: "s", registrations: log });
    await expect(engine.newResource(register(log, "a", { n: UNKNOWN }))).rejects.toThrow(
      /unknown values outside preview/,
    );
  });

  it("with parallelDiff, runs Diff on a worker and the rest one at a time", async () => {
    const state = await deployed({ n: 1 });
    const { provider, seen } = scripted({ replaces: ["n"] });
    const log = new RegistrationLog("s", "p");
    const engine = new EngineStandIn({
      provider,
      project: "p",
      stack: "s",
      state,
      registrations: log,
      parallelDiff: true,
    });
    await engine.newResource(register(log, "a", { n: 2 }));
    await engine.finish();
    expect(seen.map((s) => s.method)).toEqual(["check", "diff", "check", "create", "delete"]);
  });

  it("bails on a Check failure, preview included, and deletes nothing", async () => {
    const state = await deployed({ n: 1 });
    const { provider, seen } = scripted();
    const log = new RegistrationLog("s", "p");
    const engine = new EngineStandIn({
      provider,
      project: "p",
      stack: "s",
      state,
      registrations: log,
      preview: true,
    });
    const results = await Promise.allSettled([
      engine.newResource(register(log, "b", { n: 2, bad: true })),
      engine.newResource(register(log, "c", { n: 3 })),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(engine.errors.map((e) => e.failures)).toEqual([[{ property: "bad", reason: "is bad" }]]);
    expect(engine.skipped).toEqual([log.urnOf("", TYPE, "c")]);
    await engine.finish();
    expect(engine.steps).toEqual([]);
    expect(seen.map((s) => s.method)).toEqual(["check"]);
  });

  it("hands a chain over only when a worker takes it, so a later Check waits (ExecuteSerial)", async () => {
    const { provider } = scripted();
    const order: string[] = [];
    const slow: ProviderOperations = {
      ...provider,
      check: async (urn, olds, news) => {
        order.push(`check ${String(news.n)}`);
        return provider.check(urn, olds, news);
      },
      create: async (urn, properties) => {
        order.push(`create ${String(properties.n)} starts`);
        // Several turns of the event loop: an in-process Check that could run now would have.
        for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
        order.push(`create ${String(properties.n)} ends`);
        return provider.create(urn, properties);
      },
    };
    const log = new RegistrationLog("s", "p");
    const engine = new EngineStandIn({
      provider: slow,
      project: "p",
      stack: "s",
      registrations: log,
      parallel: 1,
    });
    await Promise.all([1, 2, 3].map((n) => engine.newResource(register(log, `r${n}`, { n }))));
    // The one worker takes create 1; the generator checks 2, then blocks handing create 2 over until
    // create 1 ends, and only then checks 3.
    expect(order).toEqual([
      "check 1",
      "create 1 starts",
      "check 2",
      "create 1 ends",
      "create 2 starts",
      "check 3",
      "create 2 ends",
      "create 3 starts",
      "create 3 ends",
    ]);
  });

  it("runs Check and then Diff of one registration before the next registration's Check", async () => {
    const first = scripted();
    const log0 = new RegistrationLog("s", "p");
    const engine0 = new EngineStandIn({
      provider: first.provider,
      project: "p",
      stack: "s",
      registrations: log0,
    });
    await Promise.all([
      engine0.newResource(register(log0, "a", { n: 1 })),
      engine0.newResource(register(log0, "b", { n: 2 })),
    ]);
    const state = await engine0.finish();

    const { provider, seen } = scripted({ replaces: ["n"] });
    const log = new RegistrationLog("s", "p");
    const engine = new EngineStandIn({ provider, project: "p", stack: "s", state, registrations: log });
    await Promise.all([
      engine.newResource(register(log, "a", { n: 11 })),
      engine.newResource(register(log, "b", { n: 12 })),
    ]);
    await engine.finish();
    const judged = seen
      .filter((s) => s.method === "check" || s.method === "diff")
      .map((s) => `${s.method} ${String(s.args[1]?.n)}`);
    // Each replacement's second Check belongs to the same event as its first Check and its Diff.
    expect(judged).toEqual(["check 11", "diff 11", "check 11", "check 12", "diff 12", "check 12"]);
  });
});
