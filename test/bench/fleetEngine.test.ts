/**
 * The benchmark's fleet driver (the engine stand-in with a whole fleet registered at once) against a
 * provider in this process that records when each call starts and ends: the order and overlap the
 * engine's model promises at fleet scale (module documentation of fleetEngine.ts).
 */
import type { PropertyMap } from "../support/propertyValues";
import type { CheckResult, DiffResult, ProviderOperations } from "../support/providerClient";
import type { Registration } from "../support/registrationLog";
import { deployFleet, destroyFleet, refreshFleet } from "./fleetEngine";

/** A provider whose every call waits for its turn in a hand-driven schedule. */
class ScriptedProvider implements ProviderOperations {
  readonly events: string[] = [];
  failCreate = new Set<string>();
  failCheck = new Set<string>();
  private inFlight = 0;
  maxInFlight = 0;
  /** Milliseconds each kind of call takes. */
  delays: Record<string, number> = { check: 1, diff: 1, create: 5, read: 5, update: 5, delete: 5 };

  private async call<T>(name: string, urn: string, value: () => T): Promise<T> {
    this.events.push(`${name}>${urn}`);
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    await new Promise((r) => setTimeout(r, this.delays[name] ?? 1));
    this.inFlight--;
    this.events.push(`${name}<${urn}`);
    return value();
  }

  configure = async () => ({ acceptSecrets: true });
  check = (urn: string, _olds: PropertyMap, news: PropertyMap): Promise<CheckResult> =>
    this.call("check", urn, () => ({
      inputs: news,
      failures: this.failCheck.has(urn) ? [{ property: "mailbox", reason: "taken" }] : [],
    }));
  diff = (urn: string): Promise<DiffResult> =>
    this.call(
      "diff",
      urn,
      () => ({ changes: false, replaces: [], deleteBeforeReplace: false, stables: [] }) as DiffResult,
    );
  create = (urn: string, properties: PropertyMap) =>
    this.call("create", urn, () => {
      if (this.failCreate.has(urn)) throw new Error(`create ${urn} failed`);
      return { id: urn, properties };
    });
  read = (urn: string, id: string, properties: PropertyMap) =>
    this.call("read", urn, () => ({ id, properties, inputs: undefined }));
  update = (urn: string, _id: string, _olds: PropertyMap, news: PropertyMap) =>
    this.call("update", urn, () => ({ properties: news }));
  delete = (urn: string) => this.call("delete", urn, () => undefined);
}

function registrations(n: number): Registration[] {
  return Array.from({ length: n }, (_, i) => ({
    type: "pulumi-nodejs:dynamic/enswitch:Mailbox",
    name: `m${i}`,
    urn: `u${i}`,
    custom: true,
    parent: "",
    inputs: { mailbox: String(i) },
    additionalSecretOutputs: [],
    deleteBeforeReplace: false,
    deleteBeforeReplaceDefined: false,
    ignoreChanges: [],
  }));
}

/** Names of the calls in flight after each event. */
function overlaps(events: readonly string[], kinds: readonly string[]): number {
  let now = 0;
  let max = 0;
  for (const e of events) {
    const [name] = e.split(/[<>]/);
    if (!kinds.includes(name ?? "")) continue;
    now += e.includes(">") ? 1 : -1;
    max = Math.max(max, now);
  }
  return max;
}

describe("the benchmark's engine model", () => {
  it("checks one resource at a time, in program order, while creates run on at most P workers", async () => {
    const provider = new ScriptedProvider();
    const result = await deployFleet({ provider, parallelism: 3, registrations: registrations(12) });
    expect(overlaps(provider.events, ["check", "diff"])).toBe(1);
    expect(overlaps(provider.events, ["create"])).toBe(3);
    const checks = provider.events.filter((e) => e.startsWith("check>"));
    expect(checks).toEqual(registrations(12).map((r) => `check>${r.urn}`));
    // The next Check starts while earlier creates are still running.
    expect(provider.maxInFlight).toBeGreaterThan(1);
    expect(result.state.resources).toHaveLength(12);
    expect(result.rpcs).toBe(24);
  });

  it("diffs known resources in the generator and runs no step call in a preview", async () => {
    const provider = new ScriptedProvider();
    const first = await deployFleet({ provider, parallelism: 4, registrations: registrations(5) });
    provider.events.length = 0;
    await deployFleet({
      provider,
      parallelism: 4,
      registrations: registrations(5),
      state: first.state,
      preview: true,
    });
    const kinds = new Set(provider.events.map((e) => e.split(/[<>]/)[0]));
    expect([...kinds].sort()).toEqual(["check", "diff"]);
    expect(overlaps(provider.events, ["check", "diff"])).toBe(1);
  });

  it("fails fast: after a step fails no further resource is checked, and the error is the step's", async () => {
    const provider = new ScriptedProvider();
    // Checks slower than creates, so that the failure comes while the generator is still at work.
    provider.delays = { ...provider.delays, check: 5, create: 1 };
    provider.failCreate.add("u1");
    await expect(deployFleet({ provider, parallelism: 1, registrations: registrations(10) })).rejects.toThrow(
      "create u1 failed",
    );
    const checked = provider.events.filter((e) => e.startsWith("check>")).length;
    expect(checked).toBeLessThan(10);
  });

  it("bails on a failed Check after the steps already started have ended", async () => {
    const provider = new ScriptedProvider();
    provider.delays = { ...provider.delays, check: 5, create: 1 };
    provider.failCheck.add("u3");
    await expect(deployFleet({ provider, parallelism: 4, registrations: registrations(10) })).rejects.toThrow(
      "u3: check failed: mailbox: taken",
    );
    // The generator stops at the failed Check: no later Check, nothing after u3 created.
    expect(provider.events).not.toContain("check>u4");
    expect(provider.events.filter((e) => e.startsWith("create>"))).toEqual([
      "create>u0",
      "create>u1",
      "create>u2",
    ]);
  });

  it("refresh runs Read then Diff per resource on the workers; destroy deletes on the workers", async () => {
    const provider = new ScriptedProvider();
    const { state } = await deployFleet({ provider, parallelism: 4, registrations: registrations(8) });
    provider.events.length = 0;
    const refreshed = await refreshFleet({ provider, parallelism: 4, state });
    for (const r of state.resources) {
      expect(provider.events.indexOf(`read<${r.urn}`)).toBeLessThan(provider.events.indexOf(`diff>${r.urn}`));
    }
    expect(overlaps(provider.events, ["read", "diff"])).toBeGreaterThan(1);
    expect(refreshed.rpcs).toBe(16);
    provider.events.length = 0;
    await destroyFleet({ provider, parallelism: 4, state });
    expect(overlaps(provider.events, ["delete"])).toBe(4);
  });
});
