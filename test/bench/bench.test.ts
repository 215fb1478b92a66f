/**
 * The fleet benchmark in small (N = 50, 5 ms latency, parallelism 10), as a specification of what a
 * fleet costs in API calls: the exact calls per mailbox of every scenario, through the real provider
 * host, and of the switch stand-in the benchmark runs in a process of its own. Timings are measured by
 * `npm run bench`, never asserted here.
 */
import { request } from "undici";
import { startSimulator } from "../../provider/simulator";
import { packedPackage } from "../support/packedPackage";
import { closeAllHosts } from "../support/providerHost";
import { createPulumiProject, PulumiProject } from "../support/pulumiProject";
import { runPass, SCENARIOS, ScenarioFigures, ScenarioName } from "./benchmark";
import { buildFleet, Fleet } from "./fleet";
import { closeAllSimulatorProcesses, SimulatorProcessError, startSimulatorProcess } from "./simulatorProcess";

const N = 50;
const CHANGED = N / 10;

let project: PulumiProject;
let fleet: Fleet;
let figures: Map<ScenarioName, ScenarioFigures>;

beforeAll(async () => {
  project = createPulumiProject({ packed: packedPackage(), name: "bench" });
  fleet = await buildFleet(project, "bench", N);
  const common = { project, stack: "bench", fleet, parallelism: 10, latencyMs: 5, bare: false };
  const rows = await runPass(common);
  figures = new Map(rows.map((f) => [f.scenario, f]));
}, 120_000);

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

describe("API calls of a fleet of 50 mailboxes, per scenario", () => {
  it("first deployment: validate, create, read back — 3 calls per mailbox", () => {
    const f = scenario("deploy");
    expect(f.steps).toEqual({ create: N });
    expect(f.calls).toEqual({
      "mailboxes/create (validation)": N,
      "mailboxes/create": N,
      "mailboxes/get": N,
    });
  });

  it("preview with nothing changed: no call at all (the switch accepted exactly these values before)", () => {
    const f = scenario("preview");
    expect(f.steps).toEqual({ same: N });
    expect(f.calls).toEqual({});
  });

  it("preview with 10 % changed: one dry run per changed mailbox, diff reusing check's answer; none for the rest", () => {
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

  it("refresh: one get per mailbox", () => {
    const f = scenario("refresh");
    expect(f.steps).toEqual({ refresh: N });
    expect(f.calls).toEqual({ "mailboxes/get": N });
  });

  it("destroy: one delete per mailbox", () => {
    const f = scenario("destroy");
    expect(f.steps).toEqual({ delete: N });
    expect(f.calls).toEqual({ "mailboxes/delete": N });
  });
});

describe("memory of the provider host", () => {
  it("is measured after a full collection when each host stops: the same code kept in every scenario, below the peak", () => {
    const kept = SCENARIOS.map((name) => scenario(name).retainedHeapMb);
    for (const mb of kept) expect(mb).toEqual(expect.any(Number));
    const values = kept as number[];
    // Every host loads the same modules; what differs is what each scenario left behind.
    expect(Math.max(...values) - Math.min(...values)).toBeLessThan(8);
    for (const name of SCENARIOS) {
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
