/**
 * The fleet benchmark in small (N = 50, 5 ms latency, parallelism 10), as a specification of what a
 * fleet costs in API calls: the exact calls per mailbox of every scenario, through the real provider
 * host. Timings are measured by `npm run bench`, never asserted here.
 */
import { packedPackage } from "../support/packedPackage";
import { closeAllHosts } from "../support/providerHost";
import { createPulumiProject, PulumiProject } from "../support/pulumiProject";
import { runPass, ScenarioFigures, ScenarioName } from "./benchmark";
import { buildFleet, Fleet } from "./fleet";

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

describe("state of a fleet", () => {
  it("stays under 3 KB per mailbox, __provider included", () => {
    for (const name of ["deploy", "deploy-10%", "refresh"] as const) {
      expect(scenario(name).stateBytesPerMailbox).toBeLessThan(3 * 1024);
    }
  });
});
