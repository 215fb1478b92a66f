/**
 * `examples/multi-switch` run through the real provider host against two switches: one program, the
 * profiles `staging` and `production` of the structured stack config `enswitch:connections`, each
 * pointing at its own simulator. Every mailbox lands on the switch its `connection` names, with its
 * own PIN; a second run changes nothing; no password travels in a URL.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultFixture, startSimulator } from "../../provider/simulator";
import type { Simulator } from "../../provider/simulator";
import { transpileProgram } from "../support/compiledSupport";
import { ProgramRun, runProgram } from "../support/programRun";
import type { ProviderHost } from "../support/providerHost";
import { REPO_ROOT } from "../support/repoPaths";
import { startTestbed, Testbed } from "../support/testbed";

const EXAMPLE = path.join(REPO_ROOT, "examples", "multi-switch");
/** The example's project name: `new pulumi.Config()` in the program reads `<project>:key`. */
const PROJECT = /^name:\s*(\S+)/m.exec(fs.readFileSync(path.join(EXAMPLE, "Pulumi.yaml"), "utf8"))?.[1] ?? "";
/** The PINs the example asks for (`pulumi config set --secret stagingSalesPin …`). */
const PINS = { stagingSalesPin: "4821", productionSalesPin: "7305", officePin: "6192" };
const CONFIG = Object.fromEntries(Object.entries(PINS).map(([k, v]) => [`${PROJECT}:${k}`, v]));
/** Distinctive passwords, so that a leak cannot be mistaken for anything else. */
const PASSWORDS = { staging: "Staging-pw-7713", production: "Production-pw-2958" };
const WRITES = ["mailboxes/create", "mailboxes/update", "mailboxes/delete"];

let bed: Testbed;
/** The production switch; the testbed's own simulator is the staging switch. */
let production: Simulator | undefined;
let host: ProviderHost;
let first: ProgramRun;

/** The switch each profile points at. */
function switches(): Record<"staging" | "production", Simulator> {
  if (!production) throw new Error("the production simulator did not start");
  return { staging: bed.sim, production };
}

beforeAll(async () => {
  bed = await startTestbed({ name: PROJECT, adminPassword: PASSWORDS.staging });
  // A reseller-style administrator on production: the example's office mailbox is in customer 2.
  const fixture = defaultFixture();
  const admin = fixture.users.find((u) => u.username === "admin");
  if (!admin) throw new Error("the default fixture has no admin login");
  Object.assign(admin, { password: PASSWORDS.production, customers: [2] });
  production = await startSimulator({ fixture });

  const connections = {
    staging: { url: bed.sim.url, username: "admin", password: PASSWORDS.staging },
    production: { url: production.url, username: "admin", password: PASSWORDS.production },
  };
  // Structured config reaches the host as JSON text; the key travels as a secret (see configure).
  host = await bed.startHost({ "enswitch:connections": JSON.stringify(connections) });
  transpileProgram(EXAMPLE, bed.project.dir);
  first = await runProgram({ project: bed.project, host, config: CONFIG });
});

afterAll(async () => {
  await production?.close();
  await bed?.close();
});

/** Write requests a switch actually carried out (not `validation=1` checks), per function. */
function writes(sim: Simulator): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of sim.requests) {
    if (WRITES.includes(r.fn) && r.params.validation !== "1") counts[r.fn] = (counts[r.fn] ?? 0) + 1;
  }
  return counts;
}

/** `customer → mailbox numbers` on a switch, for the customers of the default fixture. */
function mailboxesOn(sim: Simulator): Record<number, string[]> {
  const out: Record<number, string[]> = {};
  for (const { id } of defaultFixture().customers)
    out[id] = sim.store.listMailboxes(id).map((m) => String(m.mailbox));
  return out;
}

describe("examples/multi-switch through the real provider host, against two switches", () => {
  it("the first run creates the three mailboxes", () => {
    expect(first.programErrors).toEqual([]);
    expect(first.errors).toEqual([]);
    expect(first.steps.map((s) => s.op)).toEqual(["create", "create", "create"]);
  });

  it("each switch holds exactly the mailboxes of its profile", () => {
    const { staging, production } = switches();
    expect(mailboxesOn(staging)).toEqual({ 1: ["2001"], 2: [], 3: [] });
    expect(mailboxesOn(production)).toEqual({ 1: ["2001"], 2: ["3001"], 3: [] });
    expect(staging.store.getMailbox(1, "2001")).toMatchObject({ description: "Sales (staging)" });
    expect(production.store.getMailbox(1, "2001")).toMatchObject({ description: "Sales (production)" });
    expect(production.store.getMailbox(2, "3001")).toMatchObject({ description: "Office" });
  });

  it("each mailbox has the PIN configured for it", () => {
    const { staging, production } = switches();
    expect(staging.store.pinMatches(1, "2001", PINS.stagingSalesPin)).toBe(true);
    expect(production.store.pinMatches(1, "2001", PINS.productionSalesPin)).toBe(true);
    expect(production.store.pinMatches(2, "3001", PINS.officePin)).toBe(true);
    // Not the other switch's PIN: the two mailboxes 2001 are different mailboxes.
    expect(staging.store.pinMatches(1, "2001", PINS.productionSalesPin)).toBe(false);
  });

  it("no password or PIN appears in any URL either switch received", () => {
    const secrets = [...Object.values(PASSWORDS), ...Object.values(PINS)];
    for (const sim of Object.values(switches())) {
      expect(sim.requests.length).toBeGreaterThan(0);
      for (const { rawUrl } of sim.requests) {
        for (const secret of secrets) expect(rawUrl).not.toContain(secret);
      }
    }
  });

  it("a second run with the first run's state changes nothing on either switch", async () => {
    const sims = switches();
    expect(writes(sims.staging)).toEqual({ "mailboxes/create": 1 });
    expect(writes(sims.production)).toEqual({ "mailboxes/create": 2 });
    for (const sim of Object.values(sims)) sim.resetLog();
    const second = await runProgram({ project: bed.project, host, config: CONFIG, state: first.state });
    expect(second.errors).toEqual([]);
    expect(second.steps.map((s) => s.op)).toEqual(["same", "same", "same"]);
    for (const sim of Object.values(sims)) expect(writes(sim)).toEqual({});
    expect(second.state).toEqual(first.state);
  });
});
