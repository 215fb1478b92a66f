/**
 * The harness itself, on a trivial Mailbox-shaped package (fixtures/trivial-package): packing and
 * installing into a project, `__provider` from a program child, the real provider host over gRPC,
 * and the engine stand-in running programs (up, second up, deletion, preview, refresh). If this
 * fails, the other host tests cannot be trusted; if only they fail, the package is at fault.
 */
import * as path from "node:path";
import { mailboxProgram, recordMailboxes } from "../support/mailboxProgram";
import { packPackage } from "../support/packedPackage";
import { runProgram } from "../support/programRun";
import { isSecret, secret } from "../support/propertyValues";
import { closeAllHosts, ProviderHost } from "../support/providerHost";
import { createPulumiProject, PulumiProject } from "../support/pulumiProject";
import type { Registration } from "../support/registrationLog";
import { uniqueStateDir } from "../support/repoPaths";

const PACKAGE = "pulumi-enswitch-trivial";
const TYPE = "pulumi-nodejs:dynamic/enswitch:Mailbox";
const CONFIG = {
  "enswitch:url": "http://127.0.0.1:9/api/json/",
  "enswitch:username": "u",
  "enswitch:password": "p",
};
const A = { name: "a", args: { mailbox: "100", pin: "1234" } };
const B = { name: "b", args: { mailbox: "200", pin: "5678" } };

let project: PulumiProject;
let host: ProviderHost;
let a: Registration;

beforeAll(async () => {
  const packed = packPackage(
    path.join(__dirname, "fixtures", "trivial-package"),
    uniqueStateDir("pack", "trivial"),
  );
  project = createPulumiProject({ packed, name: "harness" });
  host = await ProviderHost.start({ projectDir: project.dir });
  ({ a } = await recordMailboxes(project, [A], PACKAGE));
});

afterAll(async () => {
  await closeAllHosts();
  project?.remove();
});

describe("the harness on a trivial provider", () => {
  it("records what the engine receives: token, URN, __provider forwarding by name, wrapped secrets, additionalSecretOutputs", () => {
    expect(a.type).toBe(TYPE);
    expect(a.urn).toBe(`urn:pulumi:test::harness::${TYPE}::a`);
    expect(a.additionalSecretOutputs).toEqual(["pin"]);
    expect(isSecret(a.inputs.pin)).toBe(true);
    expect(a.inputs.__provider).toEqual(expect.stringContaining(`require("${PACKAGE}/lib/provider.js")`));
  });

  it("drives the real provider host: configure, check, create, diff, update, read, delete", async () => {
    expect(await host.configure(CONFIG)).toEqual({ acceptSecrets: false });
    const checked = await host.check(a.urn, {}, a.inputs);
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toMatchObject({ mailbox: "100", pin: "1234", notifyEmail: "owner_wav" });
    const created = await host.create(a.urn, checked.inputs);
    expect(created.id).toBe("100");
    expect(await host.diff(a.urn, created.id, created.properties, checked.inputs)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const changed = { ...checked.inputs, pin: secret("9999") };
    expect((await host.diff(a.urn, created.id, created.properties, changed)).changes).toBe(true);
    expect((await host.update(a.urn, created.id, created.properties, changed)).properties.pin).toBe("9999");
    expect((await host.read(a.urn, created.id, created.properties)).inputs).toMatchObject({ pin: "9999" });
    expect((await host.check(a.urn, {}, { ...a.inputs, mailbox: "x" })).failures).toEqual([
      { property: "mailbox", reason: "must be digits" },
    ]);
    await host.delete(a.urn, created.id, created.properties);
    expect((await host.read(a.urn, created.id, created.properties)).id).toBe("");
    expect(host.peakRssKb()).toBeGreaterThan(0);
  });

  it("runs programs through the engine stand-in: up, a no-op second up, a failed up, an up that deletes", async () => {
    project.writeFile("two.js", mailboxProgram([A, B], PACKAGE));
    const first = await runProgram({ project, host, program: "two.js" });
    expect(first.errors).toEqual([]);
    expect(first.steps.map((s) => s.op)).toEqual(["create", "create"]);
    const stored = first.state?.resources.find((r) => r.name === "a");
    expect(stored?.id).toBe("100");
    expect(isSecret(stored?.outputs.pin)).toBe(true);
    expect(isSecret(stored?.inputs.pin)).toBe(true);

    const second = await runProgram({ project, host, program: "two.js", state: first.state });
    expect(second.steps.map((s) => s.op)).toEqual(["same", "same"]);

    // As `pulumi up`: a resource that fails Check stops the update before any deletion.
    const bad = { name: "c", args: { mailbox: "x", pin: "1" } };
    project.writeFile("b-and-bad.js", mailboxProgram([B, bad], PACKAGE));
    const failing = await runProgram({ project, host, program: "b-and-bad.js", state: second.state });
    expect(failing.errors).toEqual([
      expect.objectContaining({ failures: [{ property: "mailbox", reason: "must be digits" }] }),
    ]);
    expect(failing.state?.resources.map((r) => r.name).sort()).toEqual(["a", "b"]);

    project.writeFile("only-b.js", mailboxProgram([B], PACKAGE));
    const third = await runProgram({ project, host, program: "only-b.js", state: second.state });
    expect(third.steps.map((s) => s.op)).toEqual(["same", "delete"]);
    expect(third.state?.resources.map((r) => r.name)).toEqual(["b"]);

    // Preview plans against that state without changing it; refresh drops what the provider reports gone.
    const preview = await runProgram({ project, host, program: "two.js", state: third.state, preview: true });
    expect(preview.steps.map((s) => s.op)).toEqual(["create", "same"]);
    expect(preview.state).toEqual(third.state);
    const b = third.state?.resources[0];
    if (!b) throw new Error("b was not deployed");
    await host.delete(b.urn, b.id, b.outputs);
    const refreshed = await runProgram({
      project,
      host,
      program: "only-b.js",
      state: third.state,
      refresh: true,
    });
    // `pulumi refresh` previews first (Read + Diff, state kept), then refreshes.
    expect(refreshed.steps.map((s) => `${s.op}${s.preview ? " (preview)" : ""}`)).toEqual([
      "gone (preview)",
      "gone",
      "create",
    ]);
    expect(refreshed.state?.resources.map((r) => r.name)).toEqual(["b"]);
  }, 180_000);
});
