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
const accessLog: string[] = [];
/** Everything observable, by where it was seen. */
const places: Record<string, unknown> = {};

beforeAll(async () => {
  bed = await startTestbed({
    name: "secrets-lifecycle",
    adminPassword: PASSWORD,
    simulator: { log: (line) => accessLog.push(line) },
  });
});
afterAll(async () => {
  await bed?.close();
});

function observe(label: string, run: ProgramRun): void {
  places[`${label}: state`] = run.state;
  places[`${label}: stdout`] = run.stdout;
  places[`${label}: stderr`] = run.stderr;
  places[`${label}: errors`] = JSON.stringify(run.errors);
  places[`${label}: program errors`] = JSON.stringify(run.programErrors);
}

/** Runs the `enswitch` command (built) with the switch's credentials in the environment. */
function cli(
  args: string[],
  password = PASSWORD,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
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
  return childOutput(child).then(({ code, stdout, stderr }) => ({ code, stdout, stderr }));
}

describe("a whole lifecycle, with faults on the way, leaves no secret anywhere", () => {
  it("create, change the PIN, refresh, replace, a rejected change, destroy", async () => {
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
    expect(created.errors).toEqual([]);
    bed.sim.faults.set({ only: ["mailboxes/update"], failNext: { kind: "reset", count: 1 } });
    const changed = await deploy(
      "pin-change",
      [mailbox("alpha", "9100", PINS[2]!), mailbox("beta", "9101", PINS[1]!)],
      created.state,
    );
    expect(changed.steps.map((s) => s.op).sort()).toEqual(["same", "update"]);
    bed.sim.faults.clear();
    bed.sim.store.putMailbox(1, { mailbox: "9101", description: "changed by hand" });
    const refreshed = await deploy(
      "refresh",
      [mailbox("alpha", "9100", PINS[2]!), mailbox("beta", "9101", PINS[1]!)],
      changed.state,
      true,
    );
    expect(refreshed.errors).toEqual([]);
    const replaced = await deploy(
      "replace",
      [mailbox("alpha", "9100", PINS[2]!), mailbox("beta", "9102", PINS[3]!)],
      refreshed.state,
    );
    expect(replaced.steps.map((s) => s.op)).toContain("replace");
    const rejected = await deploy(
      "rejected",
      [mailbox("alpha", "9100", PINS[2]!, { customer: 2 }), mailbox("beta", "9102", PINS[3]!)],
      replaced.state,
    );
    expect(rejected.errors).toEqual([
      expect.objectContaining({ failures: [expect.objectContaining({ property: "customer" })] }),
    ]);
    const destroyed = await deploy("destroy", [], replaced.state);
    expect(destroyed.steps.filter((s) => s.op === "delete")).toHaveLength(2);
    expect(bed.sim.store.listMailboxes(1)).toEqual([]);

    const out = host.output();
    places["host stdout"] = out.stdout;
    places["host stderr"] = out.stderr;
    await host.close();
  }, 120_000);

  it("a refused login says so without repeating the password", async () => {
    const host = await bed.startHost({ ...bed.providerConfig, "enswitch:password": WRONG_PASSWORD });
    bed.project.writeFile(
      "wrong.js",
      mailboxProgram([{ name: "gamma", args: { mailbox: "9200", pin: PINS[0] } }]),
    );
    const run = await runProgram({ project: bed.project, host, program: "wrong.js" });
    observe("wrong password", run);
    expect(run.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/401|authenticat/i) }),
    ]);
    places["wrong password host stderr"] = host.output().stderr;
    await host.close();
  }, 60_000);
});

describe("the enswitch command's outputs", () => {
  let dir: string;
  const good = () => path.join(dir, "good.yaml");
  beforeAll(() => {
    dir = path.join(bed.project.dir, "mailboxes");
    fs.mkdirSync(dir, { recursive: true });
    bed.sim.store.putMailbox(1, { mailbox: "9300", pin: PINS[0], description: "on the switch" });
    // One good file, and one where someone wrote a PIN (refused, and never echoed).
    fs.writeFileSync(
      path.join(dir, "good.yaml"),
      'customer: 1\nmailboxes:\n  - mailbox: "9300"\n    adopt: true\n',
    );
    fs.writeFileSync(
      path.join(dir, "pin.yaml"),
      `customer: 1\nmailboxes:\n  - mailbox: "9301"\n    pin: "${PINS[1]}"\n`,
    );
  });

  it.each([
    ["validate text", ["validate", "--remote"]],
    ["validate json", ["validate", "--remote", "--format", "json"]],
    ["validate sarif", ["validate", "--remote", "--format", "sarif"]],
    ["drift json", ["drift", "--format", "json"]],
  ])("%s: the findings are reported, and hold no secret", async (label, args) => {
    // drift refuses files with problems, so it gets the good file only.
    const result = await cli([...args, args[0] === "drift" ? good() : dir]);
    places[`${label} stdout`] = result.stdout;
    places[`${label} stderr`] = result.stderr;
    expect(result.stdout.length).toBeGreaterThan(0);
  });

  it("validate sarif names the PIN problem at its line", async () => {
    const result = await cli(["validate", "--format", "sarif", dir]);
    const sarif = JSON.parse(result.stdout) as {
      runs: { results: { locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[];
    };
    const lines = sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.region.startLine);
    expect(lines).toContain(4);
    places["validate sarif (no remote)"] = result.stdout;
  });

  it("export writes the switch's mailboxes without PINs", async () => {
    const result = await cli(["export"]);
    expect(result.stdout).toContain("9300");
    places["export stdout"] = result.stdout;
    places["export stderr"] = result.stderr;
  });

  it("with a wrong password, every command fails saying so, without repeating it", async () => {
    for (const args of [
      ["validate", "--remote", "--format", "sarif", good()],
      ["drift", good()],
      ["export"],
    ]) {
      const result = await cli(args, WRONG_PASSWORD);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/401|authenticat|password/i);
      places[`${args[0]} wrong password stdout`] = result.stdout;
      places[`${args[0]} wrong password stderr`] = result.stderr;
    }
  });
});

describe("after everything: the scan", () => {
  it("finds no password and no PIN in clear anywhere", () => {
    places["every URL the switch received"] = bed.sim.requests.map((r) => r.rawUrl).join("\n");
    places["simulator access log"] = accessLog.join("\n");
    expect(Object.keys(places).length).toBeGreaterThan(40);
    expect(bed.sim.requests.length).toBeGreaterThan(20);
    expect(findLeaks(SECRETS, places)).toEqual([]);
  });

  it("the switch received every password and PIN in a POST body only", () => {
    for (const r of bed.sim.requests) {
      if (r.params.auth_password !== undefined || r.params.pin !== undefined) expect(r.method).toBe("POST");
    }
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
