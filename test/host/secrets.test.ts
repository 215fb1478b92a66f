/**
 * Secrets by looking: a deployment through the engine stand-in and the real provider host, then every
 * blob the engine would store (inputs, outputs, `__provider`), every request the switch received, and
 * everything the host and the program printed are searched for the Enswitch password and the PINs.
 * A PIN may appear only inside the engine's secret wrapper; the password nowhere at all.
 */
import { mailboxProgram } from "../support/mailboxProgram";
import { ProgramRun, runProgram } from "../support/programRun";
import { isSecret } from "../support/propertyValues";
import { findLeaks } from "../support/secretScan";
import { startTestbed, Testbed } from "../support/testbed";

// Distinctive values, with characters that need encoding, so that a find is never a coincidence.
const PASSWORD = "N0t-admin!pa55;word";
const PIN = "73915824";
const NEW_PIN = "48261739";
const WRONG_PASSWORD = "Wr0ng!pass;word";

/** Each secret in the forms it could take in a URL or a log. */
const SECRETS: Record<string, string> = {
  password: PASSWORD,
  "password, URL-encoded": encodeURIComponent(PASSWORD),
  "password, form-encoded": new URLSearchParams({ p: PASSWORD }).toString().slice(2),
  PIN,
  "new PIN": NEW_PIN,
  "wrong password": WRONG_PASSWORD,
  "wrong password, form-encoded": new URLSearchParams({ p: WRONG_PASSWORD }).toString().slice(2),
};

let bed: Testbed;
let first: ProgramRun;
let second: ProgramRun;

beforeAll(async () => {
  bed = await startTestbed({ name: "secrets", adminPassword: PASSWORD });
  const declare = (pin: string) =>
    mailboxProgram([{ name: "vault", args: { mailbox: "4500", pin, description: "Vault", owner: 101 } }]);
  bed.project.writeFile("first.js", declare(PIN));
  first = await runProgram({ project: bed.project, host: bed.host, program: "first.js" });
  bed.project.writeFile("second.js", declare(NEW_PIN));
  second = await runProgram({
    project: bed.project,
    host: bed.host,
    program: "second.js",
    state: first.state,
  });
});

afterAll(async () => {
  await bed?.close();
});

describe("the deployment the scans look at", () => {
  it("created the mailbox, then changed its PIN in place", () => {
    expect(first.errors).toEqual([]);
    expect(first.steps.map((s) => s.op)).toEqual(["create"]);
    expect(second.errors).toEqual([]);
    expect(second.steps.map((s) => s.op)).toEqual(["update"]);
    expect(bed.sim.store.pinMatches(1, "4500", NEW_PIN)).toBe(true);
  });
});

describe("the PIN is a secret everywhere", () => {
  it("in the registration: wrapped in the inputs and listed in additionalSecretOutputs", () => {
    const [registration] = first.registrations;
    expect(isSecret(registration?.inputs.pin)).toBe(true);
    expect(registration?.additionalSecretOutputs).toContain("pin");
  });

  it("in the stored state: wrapped in inputs and outputs, and nowhere in clear", () => {
    for (const run of [first, second]) {
      const [stored] = run.state?.resources ?? [];
      expect(isSecret(stored?.inputs.pin)).toBe(true);
      expect(isSecret(stored?.outputs.pin)).toBe(true);
      expect(findLeaks(SECRETS, { state: run.state })).toEqual([]);
    }
  });
});

describe("the password is nowhere in the stored state", () => {
  it("not even secret-wrapped", () => {
    for (const run of [first, second]) expect(JSON.stringify(run.state)).not.toContain(PASSWORD);
  });
});

describe("__provider", () => {
  it("holds no credentials and no PIN, is the same in inputs and outputs, and is under 1 KB", () => {
    const [registration] = first.registrations;
    const provider = registration?.inputs.__provider;
    if (typeof provider !== "string") throw new Error("the registration has no __provider string");
    const bytes = Buffer.byteLength(provider);
    console.log(`__provider of a Mailbox: ${bytes} bytes`);
    expect(bytes).toBeLessThan(1024);
    expect(findLeaks(SECRETS, { __provider: provider })).toEqual([]);
    const [stored] = second.state?.resources ?? [];
    expect(stored?.inputs.__provider).toBe(provider);
    expect(stored?.outputs.__provider).toBe(provider);
  });
});

describe("logs and error messages", () => {
  it("the host and the program children print neither the password nor a PIN", () => {
    const host = bed.host.output();
    expect(
      findLeaks(SECRETS, {
        "host stdout": host.stdout,
        "host stderr": host.stderr,
        "first run stdout": first.stdout,
        "first run stderr": first.stderr,
        "second run stdout": second.stdout,
        "second run stderr": second.stderr,
      }),
    ).toEqual([]);
  });

  it("a rejected mailbox's failure and a failed create do not repeat the PIN or the password", async () => {
    const [registration] = first.registrations;
    const rejected = { ...registration!.inputs, mailbox: "4501", customer: 2 };
    const checked = await bed.host.check(registration!.urn, {}, rejected);
    expect(checked.failures).toEqual([expect.objectContaining({ property: "customer" })]);
    // Create skips Check's dry run, so the switch's own refusal comes back as an error.
    const failed = await bed.host.create(registration!.urn, checked.inputs).then(
      () => "created",
      (e: Error) => e.message,
    );
    expect(failed).toMatch(/customer/);
    expect(
      findLeaks(SECRETS, { failures: checked.failures, "create error": failed, host: bed.host.output() }),
    ).toEqual([]);
  });

  it("a wrong password is not repeated in the error", async () => {
    const host = await bed.startHost({ ...bed.providerConfig, "enswitch:password": WRONG_PASSWORD });
    const [registration] = first.registrations;
    const checked = await host.check(registration!.urn, {}, registration!.inputs);
    expect(checked.failures).toEqual([
      { property: "", reason: expect.stringMatching(/authenticat|password|401/i) },
    ]);
    const out = host.output();
    await host.close();
    expect(
      findLeaks(SECRETS, { failures: checked.failures, stderr: out.stderr, stdout: out.stdout }),
    ).toEqual([]);
  });
});

describe("what the switch received, after everything above", () => {
  it("no request URL carries the password or a PIN", () => {
    expect(bed.sim.requests.length).toBeGreaterThan(0);
    const urls = Object.fromEntries(bed.sim.requests.map((r, i) => [`request ${i} ${r.fn} URL`, r.rawUrl]));
    expect(findLeaks(SECRETS, urls)).toEqual([]);
  });

  it("every request that carries the password or a PIN is a POST with them in the body", () => {
    const carrying = bed.sim.requests.filter(
      (r) => r.params.auth_password !== undefined || r.params.pin !== undefined,
    );
    expect(carrying.length).toBeGreaterThan(0);
    for (const r of carrying) expect(r.method).toBe("POST");
  });
});
