/**
 * The fleet benchmark in small (N = 50, 5 ms latency, parallelism 10), as a specification of what a
 * fleet costs in API calls on the engine's model (serial Check and Diff, steps on P workers): the exact
 * calls per mailbox of every scenario through the real provider host, the baselines (bare loop in the
 * same pattern, null provider) running beside it, K stacks at once, and the switch stand-in the
 * benchmark runs in a process of its own. Timings are measured by `npm run bench`, never asserted here.
 */
import { request } from "undici";
import { startSimulator } from "../../provider/simulator";
import { packedPackage } from "../support/packedPackage";
import { closeAllHosts } from "../support/providerHost";
import { createPulumiProject, PulumiProject } from "../support/pulumiProject";
import { LIFECYCLE, runPass, ScenarioFigures, ScenarioName } from "./benchmark";
import { buildFleet, Fleet } from "./fleet";
import { runShards, ShardFigures } from "./shards";
import { decompose } from "./targets";
import { closeAllSimulatorProcesses, SimulatorProcessError, startSimulatorProcess } from "./simulatorProcess";

const N = 50;
const CHANGED = N / 10;
const P = 10;

let project: PulumiProject;
let fleet: Fleet;
let figures: Map<ScenarioName, ScenarioFigures>;
let shards: ShardFigures[];

beforeAll(async () => {
  project = createPulumiProject({ packed: packedPackage(), name: "bench" });
  fleet = await buildFleet(project, "bench", N);
  const common = {
    project,
    stack: "bench",
    fleet,
    parallelism: P,
    latencyMs: 5,
    bare: true,
  };
  const rows = [
    ...(await runPass(common)),
    ...(await runPass({
      ...common,
      // The null provider once (each of its passes starts a host: a minute on a busy machine for all).
      nullProvider: true,
      config: { "enswitch:dryRunCreates": "false" },
      scenarios: ["deploy"],
      label: { deploy: "deploy-without-dry-run" },
    })),
  ];
  figures = new Map(rows.map((f) => [f.scenario, f]));
  shards = await runShards({ project, fleet, ks: [2], parallelism: P, latencyMs: 5 });
}, 600_000);

afterAll(async () => {
  await closeAllHosts();
  await closeAllSimulatorProcesses();
  project?.remove();
});

function scenario(name: ScenarioName): ScenarioFigures {
  const f = figures.get(name);
  if (!f) throw new Error(`scenario ${name} did not run`);
  return f;
}

describe("API calls of a fleet of 50 mailboxes, per scenario, on the engine's model", () => {
  it("first deployment: validate (in Check), create, read back — 3 calls per mailbox", () => {
    const f = scenario("deploy");
    expect(f.steps).toEqual({ create: N });
    expect(f.calls).toEqual({
      "mailboxes/create (validation)": N,
      "mailboxes/create": N,
      "mailboxes/get": N,
    });
  });

  it("first deployment with enswitch:dryRunCreates false: create, read back — 2 calls per mailbox", () => {
    const f = scenario("deploy-without-dry-run");
    expect(f.steps).toEqual({ create: N });
    expect(f.calls).toEqual({ "mailboxes/create": N, "mailboxes/get": N });
  });

  it("preview with nothing changed: no call at all (the switch accepted exactly these values before)", () => {
    const f = scenario("preview");
    expect(f.steps).toEqual({ same: N });
    expect(f.calls).toEqual({});
  });

  it("preview with 10 % changed: one dry run per changed mailbox (in Check; Diff asks nothing); none for the rest", () => {
    const f = scenario("preview-10%");
    expect(f.steps).toEqual({ update: CHANGED, same: N - CHANGED });
    expect(f.calls).toEqual({ "mailboxes/update (validation)": CHANGED });
    expect(f.perChanged).toBe(1);
    expect(f.perUnchanged).toBe(0);
  });

  it("deployment with 10 % changed: validate, update, read back — 3 calls per changed mailbox, none for the rest", () => {
    const f = scenario("deploy-10%");
    expect(f.steps).toEqual({ update: CHANGED, same: N - CHANGED });
    expect(f.calls).toEqual({
      "mailboxes/update (validation)": CHANGED,
      "mailboxes/update": CHANGED,
      "mailboxes/get": CHANGED,
    });
    expect(f.perChanged).toBe(3);
    expect(f.perUnchanged).toBe(0);
  });

  it("refresh: a preview pass and an apply pass, each Read then Diff — one get per mailbox per pass", () => {
    const f = scenario("refresh");
    expect(f.passes).toBe(2);
    expect(f.steps).toEqual({ refresh: 2 * N });
    // Read + Diff per mailbox per pass.
    expect(f.rpcs).toBe(2 * 2 * N);
    expect(f.calls).toEqual({ "mailboxes/get": 2 * N });
  });

  it("destroy: one delete per mailbox", () => {
    const f = scenario("destroy");
    expect(f.steps).toEqual({ delete: N });
    expect(f.calls).toEqual({ "mailboxes/delete": N });
  });

  it("Check and Diff never overlap; steps run on at most P workers", () => {
    for (const name of [...LIFECYCLE, "deploy-without-dry-run"] as const) {
      const f = scenario(name);
      expect(f.maxSerialInFlight).toBeLessThanOrEqual(1);
      expect(f.maxStepsInFlight).toBeLessThanOrEqual(P);
    }
    // With 50 creates of 2 calls at 5 ms, the workers are busy at once: more than one step in flight.
    expect(scenario("deploy").maxStepsInFlight).toBeGreaterThan(1);
  });
});

describe("the baselines beside each scenario", () => {
  it("the bare loop sends the same requests to the twin and gets the same answers", () => {
    for (const name of [...LIFECYCLE, "deploy-without-dry-run"] as const) {
      const f = scenario(name);
      expect(f.bareMismatches).toBe(0);
      if (f.callsTotal > 0) expect(f.bareMs).toEqual(expect.any(Number));
      else expect(f.bareMs).toBeNull();
    }
  });

  it("the null provider runs the same engine passes through the same host", () => {
    const measured = scenario("deploy-without-dry-run");
    expect(measured.nullMs).toEqual(expect.any(Number));
    expect(measured.nullHostCpuMsPerMailbox).toEqual(expect.any(Number));
    expect(measured.nullEngineCpuMsPerMailbox).toEqual(expect.any(Number));
    expect(decompose(measured)?.oursMs).toBeCloseTo(
      measured.wallMs - (measured.nullMs ?? 0) - (measured.bareMs ?? 0),
    );
    expect(scenario("deploy").nullMs).toBeNull();
    expect(decompose(scenario("deploy"))).toBeUndefined();
  });
});

describe("K stacks at once against one switch", () => {
  it("splits the fleet: every mailbox deployed once, with the calls of one stack", () => {
    const deploy = shards.find((s) => s.scenario === "deploy");
    const preview = shards.find((s) => s.scenario === "preview");
    expect(deploy).toMatchObject({ k: 2, n: N, callsTotal: 3 * N });
    expect(preview).toMatchObject({ k: 2, n: N, callsTotal: 0 });
  });
});

describe("memory of the provider host", () => {
  it("is measured after a full collection when each host stops: the same code kept in every scenario, below the peak", () => {
    const kept = LIFECYCLE.map((name) => scenario(name).retainedHeapMb);
    for (const mb of kept) expect(mb).toEqual(expect.any(Number));
    const values = kept as number[];
    // Every host loads the same modules; what differs is what each scenario left behind.
    expect(Math.max(...values) - Math.min(...values)).toBeLessThan(8);
    for (const name of LIFECYCLE) {
      expect(scenario(name).retainedHeapMb).toBeLessThan(scenario(name).peakRssMb ?? 0);
    }
  });
});

describe("state of a fleet", () => {
  it("stays under 3 KB per mailbox, __provider included", () => {
    for (const name of ["deploy", "deploy-10%", "refresh"] as const) {
      expect(scenario(name).stateBytesPerMailbox).toBeLessThan(3 * 1024);
    }
  });
});

/** Whether a process with this id exists (signal 0 only checks). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One API call, as the provider's client sends it. */
async function post(baseUrl: string, fn: string, body: string): Promise<string> {
  const response = await request(`${baseUrl}${fn}/`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body,
  });
  return response.body.text();
}

describe("the switch stand-in of the benchmark", () => {
  it("runs in a child process of its own, records requests as the in-process simulator does, and is gone once closed", async () => {
    const child = await startSimulatorProcess({ latencyMs: 0 });
    const inProcess = await startSimulator();
    try {
      expect(child.pid).not.toBe(process.pid);
      expect(running(child.pid)).toBe(true);
      const calls: [string, string][] = [
        ["mailboxes/create", "auth_username=admin&auth_password=admin&mailbox=4711&pin=123456&validation=1"],
        ["mailboxes/create", "auth_username=admin&auth_password=admin&mailbox=4711&pin=123456"],
        ["mailboxes/get", "auth_username=admin&auth_password=admin&mailbox=4711"],
      ];
      for (const [fn, body] of calls) {
        expect(await post(child.url, fn, body)).toEqual(await post(inProcess.url, fn, body));
      }
      const recorded = await child.requests();
      expect(recorded).toEqual(inProcess.requests);
      expect(recorded.map((r) => r.fn)).toEqual(calls.map(([fn]) => fn));
      // The get found the mailbox: the child kept state across requests, as the switch does.
      expect(recorded[2]?.code).toBe("200");
      await child.resetLog();
      expect(await child.requests()).toEqual([]);
    } finally {
      await inProcess.close();
      await child.close();
    }
    expect(running(child.pid)).toBe(false);
    await expect(child.requests()).rejects.toThrow(SimulatorProcessError);
  });

  it("that cannot start rejects with the child's reason and leaves no process behind", async () => {
    const failure = await startSimulatorProcess({
      latencyMs: 0,
      simulatorModule: "/nonexistent/simulator.js",
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(SimulatorProcessError);
    const error = failure as SimulatorProcessError;
    expect(error.message).toMatch(
      /could not start: Error: Cannot find module '\/nonexistent\/simulator\.js'/,
    );
    expect(error.pid).toEqual(expect.any(Number));
    expect(running(error.pid as number)).toBe(false);
  });
});
