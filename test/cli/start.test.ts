/**
 * `npm start` (scripts/start.js), tested up to the Pulumi CLI boundary: without `pulumi` on PATH it
 * runs what needs no CLI (simulator, validate --remote, drift) and says how to install it; with a
 * stand-in `pulumi` that records its calls, it also configures a local stack and calls `pulumi up`
 * with the policy pack.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

const REPO = path.join(__dirname, "..", "..");
const START = path.join(REPO, "scripts", "start.js");

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "enswitch-start-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function start(
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(PULUMI_|ENSWITCH_)/.test(k)) clean[k] = v;
  const child = spawn(process.execPath, [START], {
    cwd: REPO,
    env: { ...clean, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("close", (status) => resolve({ status, stdout, stderr })));
}

function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

describe("npm start without the Pulumi CLI", () => {
  it("runs what needs no CLI (simulator, validate --remote with the pack's config, drift), then says deployment needs the CLI", async () => {
    const state = path.join(dir, "state");
    const emptyPath = path.join(dir, "bin");
    fs.mkdirSync(emptyPath);
    const result = await start({
      PATH: emptyPath,
      ENSWITCH_START_STATE_DIR: state,
      ENSWITCH_START_SKIP_BUILD: "1",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const out = result.stdout;
    const url = /Enswitch simulator at (\S+)/.exec(out)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/json\/$/);
    // Both customers' files checked by the policies and the switch, with the pack's config.
    expect(out).toContain(
      "$ enswitch validate examples/gitops/mailboxes/customer-1 --remote --policy-pack-config examples/gitops/policy-config.json\n",
    );
    expect(out).toContain("--policy-pack-config examples/gitops/policy-config.json --connection customer2\n");
    expect(
      out.match(
        /^0 errors, \d+ warnings? in \d+ files? \((\d+) mailbox(es)?; checked: schema, policies, switch\)$/gm,
      ),
    ).toHaveLength(2);
    // The drift `pulumi up` would close: every declared mailbox to create, on an empty simulator.
    const declared = (customer: string) =>
      fs
        .readdirSync(path.join(REPO, "examples", "gitops", "mailboxes", customer))
        .map((f) => fs.readFileSync(path.join(REPO, "examples", "gitops", "mailboxes", customer, f), "utf8"))
        .join("\n")
        .match(/^\s*- mailbox:/gm)!.length;
    const summaries = out.match(/^(\d+) to create, 0 to update, 0 unchanged, 0 on the switch only$/gm);
    expect(summaries).toEqual([
      `${declared("customer-1")} to create, 0 to update, 0 unchanged, 0 on the switch only`,
      `${declared("customer-2")} to create, 0 to update, 0 unchanged, 0 on the switch only`,
    ]);
    expect(out).toContain(
      "Deploying these mailboxes (pulumi up) needs the Pulumi CLI, and `pulumi` is not on PATH.",
    );
    expect(out).toContain("curl -fsSL https://get.pulumi.com | sh");
    expect(out).toContain("https://www.pulumi.com/docs/iac/download-install/");
    expect(out).toContain("customer 1: 0 mailbox(es)");
    expect(await refused(url!)).toBe(true); // stopped
    expect(fs.existsSync(path.join(state, "backend"))).toBe(false); // no stack
  });
});

describe("npm start with a stand-in pulumi that records its calls", () => {
  it("starts the simulator, configures the stack dev on a local backend, runs pulumi up with the policy pack, stops", async () => {
    const bin = path.join(dir, "bin");
    const log = path.join(dir, "calls.log");
    fs.mkdirSync(bin);
    // Logs each call's arguments, the backend, and for secrets only the length of what came on stdin.
    fs.writeFileSync(
      path.join(bin, "pulumi"),
      [
        "#!/bin/sh",
        'echo "ARGS $*" >> "$FAKE_LOG"',
        'echo "BACKEND $PULUMI_BACKEND_URL PASSPHRASE ${PULUMI_CONFIG_PASSPHRASE:+set}" >> "$FAKE_LOG"',
        'case "$*" in *--secret*) v=$(cat); echo "STDIN ${#v}" >> "$FAKE_LOG";; esac',
        'case "$1 $2" in "config get") exit 1;; esac',
        "exit 0",
        "",
      ].join("\n"),
      { mode: 0o755 },
    );
    const state = path.join(dir, "state");
    const result = await start({
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
      ENSWITCH_START_STATE_DIR: state,
      // The test command has just built dist/; rebuilding here would race the other test files using it.
      ENSWITCH_START_SKIP_BUILD: "1",
      FAKE_LOG: log,
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);

    const url = /Enswitch simulator at (\S+)/.exec(result.stdout)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/json\/$/);
    expect(result.stdout).toContain("Mailboxes now on the simulator:");
    expect(result.stdout).toContain("customer 1: 0 mailbox(es)");
    expect(result.stdout).toContain("customer 2: 0 mailbox(es)");
    expect(await refused(url!)).toBe(true); // stopped
    expect(fs.existsSync(path.join(state, "backend"))).toBe(true);

    const lines = fs.readFileSync(log, "utf8").trim().split("\n");
    const calls = lines.filter((l) => l.startsWith("ARGS ")).map((l) => l.slice(5));
    expect(calls).toEqual([
      "stack select --create dev --non-interactive",
      `config set --stack dev enswitch:url ${url}`,
      "config set --stack dev enswitch:username admin",
      "config set --stack dev --secret enswitch:password",
      `config set --stack dev --path enswitch:connections.customer2.url ${url}`,
      "config set --stack dev --path enswitch:connections.customer2.username admin2",
      "config set --stack dev --secret --path enswitch:connections.customer2.password",
      "config get --stack dev enswitch:pinSeed",
      "config set --stack dev --secret enswitch:pinSeed",
      `up --yes --stack dev --policy-pack ${path.join(REPO, "policy")} --policy-pack-config ${path.join(REPO, "examples", "gitops", "policy-config.json")}`,
    ]);
    // Every call on the local file backend with a passphrase; secrets on stdin, never in arguments.
    for (const line of lines.filter((l) => l.startsWith("BACKEND "))) {
      expect(line).toBe(`BACKEND file://${path.join(state, "backend")} PASSPHRASE set`);
    }
    expect(lines.filter((l) => l.startsWith("STDIN "))).toEqual(["STDIN 5", "STDIN 6", "STDIN 64"]);
  });
});
