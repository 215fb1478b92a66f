/**
 * Secrets by looking, over a whole lifecycle and everything observable.
 *
 * Through the real provider host, with faults on the way (so that error and retry paths write their
 * texts too): create, a PIN change, a refresh, a replacement by a new number, a change the switch
 * rejects, and the destroy. Then the `enswitch` command's text, JSON and SARIF outputs (`validate`
 * with `--remote`, `drift`, `export`), also with a wrong password and with a PIN wrongly written in a
 * file. Everything is searched for the password and every PIN, in clear and encoded: state blobs
 * (where a PIN may only appear inside the engine's secret wrapper), stdout and stderr of every process,
 * every error text, every URL the switch received, and the simulator's access log.
 *
 * And plain `http://` to a host that is not loopback is refused, through the provider's stack config,
 * with a message that says why, unless `enswitch:allowInsecureHttp` says otherwise.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { mailboxProgram, recordMailboxes } from "../support/mailboxProgram";
import { ProgramRun, runProgram } from "../support/programRun";
import type { Registration } from "../support/registrationLog";
import { childOutput } from "../support/childClosed";
import { findLeaks } from "../support/secretScan";
import { Testbed, startTestbed } from "../support/testbed";
import { CLI } from "./simulatorProcess";

// Distinctive values with characters that need encoding, so that a find is never a coincidence.
const PASSWORD = "Rel1ab!e;pass&word=%x";
const WRONG_PASSWORD = "Wr0ng;Rel1ab!e&pw";
const PINS = ["58203741", "69314852", "70425963", "81536074"];

function forms(label: string, value: string): Record<string, string> {
  return {
    [label]: value,
    [`${label} (URL-encoded)`]: encodeURIComponent(value),
    [`${label} (form-encoded)`]: new URLSearchParams({ v: value }).toString().slice(2),
    [`${label} (JSON-escaped)`]: JSON.stringify(value).slice(1, -1),
  };
}

const SECRETS: Record<string, string> = {
  ...forms("password", PASSWORD),
  ...forms("wrong password", WRONG_PASSWORD),
  ...Object.assign({}, ...PINS.map((pin, i) => ({ [`PIN ${i + 1}`]: pin }))),
};

let bed: Testbed;

beforeAll(async () => {
  bed = await startTestbed({
    name: "secrets-lifecycle",
    adminPassword: PASSWORD,
    simulator: { log: (line) => everything.accessLog.push(line) },
  });
});
afterAll(async () => {
  await bed?.close();
});

type CliResult = { code: number | null; stdout: string; stderr: string };

/** What the runs below left, for the tests to judge and the scan to search. */
const everything = {
  /** Everything observable, by where it was seen. */
  places: {} as Record<string, unknown>,
  accessLog: [] as string[],
  runs: {} as Record<string, ProgramRun>,
  cli: {} as Record<string, CliResult>,
  mailboxesAfterDestroy: -1,
};

function observe(label: string, run: ProgramRun): void {
  everything.runs[label] = run;
  const { places } = everything;
  places[`${label}: state`] = run.state;
  places[`${label}: stdout`] = run.stdout;
  places[`${label}: stderr`] = run.stderr;
  places[`${label}: errors`] = JSON.stringify(run.errors);
  places[`${label}: program errors`] = JSON.stringify(run.programErrors);
}

/** Runs the `enswitch` command (built) with the switch's credentials in the environment. */
async function cli(label: string, args: string[], password = PASSWORD): Promise<void> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: {
      PATH: process.env.PATH,
      ENSWITCH_URL: bed.sim.url,
      ENSWITCH_USERNAME: "admin",
      ENSWITCH_PASSWORD: password,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Collected until `close`, not `exit`: the leak scan must see the output's tail too.
  const { code, stdout, stderr } = await childOutput(child);
  everything.cli[label] = { code, stdout, stderr };
  everything.places[`${label} stdout`] = stdout;
  everything.places[`${label} stderr`] = stderr;
}

/**
 * Through the real provider host, with faults on the way: create, change the PIN, refresh, replace, a
 * rejected change, destroy. Then a program with a wrong password.
 */
async function lifecycle(): Promise<void> {
  const host = await bed.startHost({ ...bed.providerConfig, "enswitch:retries": "2" });
  const mailbox = (name: string, number: string, pin: string, extra: Record<string, unknown> = {}) => ({
    name,
    args: { mailbox: number, pin, description: `${name} box`, owner: 101, ...extra },
  });
  const deploy = async (
    label: string,
    decls: ReturnType<typeof mailbox>[],
    state?: ProgramRun["state"],
    refresh = false,
  ) => {
    bed.project.writeFile(`${label}.js`, mailboxProgram(decls));
    const run = await runProgram({ project: bed.project, host, program: `${label}.js`, state, refresh });
    observe(label, run);
    return run;
  };

  // Creates meet a lost answer, a 502 and a reset first.
  bed.sim.faults.set({
    only: ["mailboxes/create", "mailboxes/get"],
    failNext: { kind: "5xx", count: 2 },
    processThenFail: true,
  });
  const created = await deploy("create", [
    mailbox("alpha", "9100", PINS[0]!),
    mailbox("beta", "9101", PINS[1]!),
  ]);
  bed.sim.faults.set({ only: ["mailboxes/update"], failNext: { kind: "reset", count: 1 } });
  const changed = await deploy(
    "pin-change",
    [mailbox("alpha", "9100", PINS[2]!), mailbox("beta", "9101", PINS[1]!)],
    created.state,
  );
  bed.sim.faults.clear();
  bed.sim.store.putMailbox(1, { mailbox: "9101", description: "changed by hand" });
  const refreshed = await deploy(
    "refresh",
    [mailbox("alpha", "9100", PINS[2]!), mailbox("beta", "9101", PINS[1]!)],
    changed.state,
    true,
  );
  const replaced = await deploy(
    "replace",
    [mailbox("alpha", "9100", PINS[2]!), mailbox("beta", "9102", PINS[3]!)],
    refreshed.state,
  );
  await deploy(
    "rejected",
    [mailbox("alpha", "9100", PINS[2]!, { customer: 2 }), mailbox("beta", "9102", PINS[3]!)],
    replaced.state,
  );
  await deploy("destroy", [], replaced.state);
  everything.mailboxesAfterDestroy = bed.sim.store.listMailboxes(1).length;
  const out = host.output();
  everything.places["host stdout"] = out.stdout;
  everything.places["host stderr"] = out.stderr;
  await host.close();

  const wrong = await bed.startHost({ ...bed.providerConfig, "enswitch:password": WRONG_PASSWORD });
  bed.project.writeFile(
    "wrong.js",
    mailboxProgram([{ name: "gamma", args: { mailbox: "9200", pin: PINS[0] } }]),
  );
  observe("wrong password", await runProgram({ project: bed.project, host: wrong, program: "wrong.js" }));
  everything.places["wrong password host stderr"] = wrong.output().stderr;
  await wrong.close();
}

const REMOTE_COMMANDS: [string, string[]][] = [
  ["validate text", ["validate", "--remote"]],
  ["validate json", ["validate", "--remote", "--format", "json"]],
  ["validate sarif", ["validate", "--remote", "--format", "sarif"]],
  ["drift json", ["drift", "--format", "json"]],
];
const WRONG_PASSWORD_COMMANDS = [["validate", "--remote", "--format", "sarif"], ["drift"], ["export"]];

/**
 * The `enswitch` command's text, JSON and SARIF outputs on one good file and one where someone wrote
 * a PIN (refused, and never echoed), and every command with a wrong password.
 */
async function commands(): Promise<void> {
  const dir = path.join(bed.project.dir, "mailboxes");
  const good = path.join(dir, "good.yaml");
  fs.mkdirSync(dir, { recursive: true });
  bed.sim.store.putMailbox(1, { mailbox: "9300", pin: PINS[0], description: "on the switch" });
  fs.writeFileSync(good, 'customer: 1\nmailboxes:\n  - mailbox: "9300"\n    adopt: true\n');
  fs.writeFileSync(
    path.join(dir, "pin.yaml"),
    `customer: 1\nmailboxes:\n  - mailbox: "9301"\n    pin: "${PINS[1]}"\n`,
  );
  // drift refuses files with problems, so it gets the good file only.
  for (const [label, args] of REMOTE_COMMANDS) await cli(label, [...args, args[0] === "drift" ? good : dir]);
  await cli("validate sarif (no remote)", ["validate", "--format", "sarif", dir]);
  await cli("export", ["export"]);
  for (const args of WRONG_PASSWORD_COMMANDS) {
    await cli(`${args[0]} wrong password`, args[0] === "export" ? args : [...args, good], WRONG_PASSWORD);
  }
}

/**
 * Runs everything the scan searches, in this file's own order, whichever tests are selected: the
 * lifecycle, the wrong login, the commands; then what the switch saw.
 */
async function collectEverything(): Promise<void> {
  await lifecycle();
  await commands();
  everything.places["every URL the switch received"] = bed.sim.requests.map((r) => r.rawUrl).join("\n");
  everything.places["simulator access log"] = everything.accessLog.join("\n");
}

describe("everything observable", () => {
  beforeAll(collectEverything, 300_000);

  describe("a whole lifecycle, with faults on the way", () => {
    it("create, change the PIN, refresh, replace, a rejected change, destroy", () => {
      const { runs } = everything;
      expect(runs.create?.errors).toEqual([]);
      expect(runs["pin-change"]?.steps.map((s) => s.op).sort()).toEqual(["same", "update"]);
      expect(runs.refresh?.errors).toEqual([]);
      expect(runs.replace?.steps.map((s) => s.op)).toContain("replace");
      expect(runs.rejected?.errors).toEqual([
        expect.objectContaining({ failures: [expect.objectContaining({ property: "customer" })] }),
      ]);
      expect(runs.destroy?.steps.filter((s) => s.op === "delete")).toHaveLength(2);
      expect(everything.mailboxesAfterDestroy).toBe(0);
    });

    it("a refused login says so", () => {
      expect(everything.runs["wrong password"]?.errors).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/401|authenticat/i) }),
      ]);
    });
  });

  describe("the enswitch command's outputs", () => {
    it.each(REMOTE_COMMANDS.map(([label]) => label))("%s: the findings are reported", (label) => {
      expect(everything.cli[label]?.stdout.length).toBeGreaterThan(0);
    });

    it("validate sarif names the PIN problem at its line", () => {
      const sarif = JSON.parse(everything.cli["validate sarif (no remote)"]?.stdout ?? "") as {
        runs: { results: { locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[];
      };
      const lines = sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.region.startLine);
      expect(lines).toContain(4);
    });

    it("export writes the switch's mailboxes", () => {
      expect(everything.cli.export?.stdout).toContain("9300");
    });

    it("with a wrong password, every command fails saying so", () => {
      for (const [command] of WRONG_PASSWORD_COMMANDS) {
        const result = everything.cli[`${command} wrong password`];
        expect(result?.code).not.toBe(0);
        expect(result?.stderr).toMatch(/401|authenticat|password/i);
      }
    });
  });

  describe("the scan", () => {
    it("finds no password and no PIN in clear anywhere", () => {
      expect(Object.keys(everything.places).length).toBeGreaterThan(40);
      expect(bed.sim.requests.length).toBeGreaterThan(20);
      expect(findLeaks(SECRETS, everything.places)).toEqual([]);
    });

    it("the switch received every password and PIN in a POST body only", () => {
      const secretBearing = bed.sim.requests.filter(
        (r) => r.params.auth_password !== undefined || r.params.pin !== undefined,
      );
      expect(secretBearing.length).toBeGreaterThan(0);
      for (const r of secretBearing) expect(r.method).toBe("POST");
    });
  });
});

describe("plain http:// to a host that is not loopback", () => {
  const remote = "http://192.0.2.10/api/json/"; // TEST-NET-1: never routed
  let registration: Registration;
  beforeAll(async () => {
    ({ http: registration } = await recordMailboxes(bed.project, [
      { name: "http", args: { mailbox: "9400", pin: PINS[0] } },
    ]));
  });

  it("is refused before anything is sent, with a message that says why and how to allow it", async () => {
    const host = await bed.startHost({ ...bed.providerConfig, "enswitch:url": remote });
    const checked = await host.check(registration.urn, {}, registration.inputs);
    await host.close();
    expect(checked.failures).toEqual([
      {
        property: "",
        reason: expect.stringMatching(
          /refusing plain http:\/\/ to 192\.0\.2\.10.*unencrypted.*allowInsecureHttp/s,
        ),
      },
    ]);
    expect(findLeaks(SECRETS, { reason: checked.failures[0]!.reason })).toEqual([]);
  });

  it("is attempted when enswitch:allowInsecureHttp is true (and then fails as a network error, not a refusal)", async () => {
    const host = await bed.startHost({
      ...bed.providerConfig,
      "enswitch:url": remote,
      "enswitch:allowInsecureHttp": "true",
      "enswitch:timeoutMs": "300",
      "enswitch:retries": "0",
    });
    const checked = await host.check(registration.urn, {}, registration.inputs);
    await host.close();
    expect(checked.failures).toHaveLength(1);
    expect(checked.failures[0]!.reason).not.toMatch(/refusing plain http/);
    expect(checked.failures[0]!.reason).toMatch(/could not check this mailbox on the switch/);
  });
});
