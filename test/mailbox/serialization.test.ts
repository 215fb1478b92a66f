/**
 * The serialized `__provider`, produced the way a user's program produces it: the packed package
 * installed in a throwaway Pulumi project, the real `Mailbox` class constructed under `setMocks` in a
 * child `node` process (jest rewrites code and `require.cache`, so the size could not be trusted
 * here), with a password in the stack config and the environment and a PIN in the inputs. Then the
 * text is loaded the way the provider host loads it and called.
 *
 * Needs the build (`npm run build`); the packing is shared with the host tests (test/support).
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { packedPackage } from "../support/packedPackage";
import { PulumiProject, createPulumiProject } from "../support/pulumiProject";
import { REPO_ROOT } from "../support/repoPaths";

const PASSWORD = "Pw;9&zq=Lk%4-serial";
const PIN = "48151623";
const URL_ = "https://switch.example.invalid/api/json/";

/** What the child prints. */
interface Serialized {
  size: number;
  text: string;
  /** `serializeFunction(() => forwarder)` directly, as `dynamic.Resource` does: the same text. */
  direct: string;
  /** The methods of the object the host gets from `requireFromString(text).handler()`. */
  methods: string[];
  /** What `check` answered through that object with the child's (empty) host config. */
  check: { failures?: { property: string; reason: string }[] };
}

/** The child: a program under setMocks, then the host's deserialization. Plain JS, no jest. */
function childScript(mailboxModule: string, forwarderModule: string): string {
  return `
const pulumi = require("@pulumi/pulumi");
const requireFromString = require("require-from-string");
const { Mailbox } = require(${JSON.stringify(mailboxModule)});
// Named as in @pulumi/pulumi/dynamic/index.js, which serializes \`() => provider\`.
const provider = require(${JSON.stringify(forwarderModule)});
let captured;
const seen = new Promise((resolve) => { captured = resolve; });
pulumi.runtime.setMocks({
  newResource: (args) => { captured(args.inputs.__provider); return { id: "1/2001", state: args.inputs }; },
  call: () => ({}),
}, "project", "stack", false).then(async () => {
  new Mailbox("sales", { mailbox: "2001", pin: ${JSON.stringify(PIN)}, description: "Sales" });
  const text = await seen;
  const direct = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
  const host = requireFromString(text).handler();
  const methods = ["configure", "check", "diff", "create", "read", "update", "delete"].filter((m) => typeof host[m] === "function");
  await host.configure({ config: { get: () => undefined } });
  delete process.env.ENSWITCH_URL; delete process.env.ENSWITCH_PASSWORD;
  const check = await host.check({}, { mailbox: "2001", pin: ${JSON.stringify(PIN)} });
  process.stdout.write(JSON.stringify({ size: Buffer.byteLength(text), text, direct, methods, check }));
}).catch((e) => { console.error(e); process.exit(1); });
`;
}

function runChild(cwd: string, script: string): Serialized {
  const out = execFileSync(process.execPath, ["-e", script], {
    cwd,
    encoding: "utf8",
    timeout: 30_000,
    env: {
      ...process.env,
      PULUMI_NODEJS_PROJECT: "project",
      // Present in the program's process: must not be captured into __provider.
      PULUMI_CONFIG: JSON.stringify({ "enswitch:url": URL_, "enswitch:password": PASSWORD }),
      ENSWITCH_URL: URL_,
      ENSWITCH_PASSWORD: PASSWORD,
    },
  });
  return JSON.parse(out) as Serialized;
}

function expectNothingSecret(serialized: Serialized): void {
  expect(serialized.text).not.toContain(PASSWORD);
  expect(serialized.text).not.toContain(PIN);
  expect(serialized.text).not.toContain("switch.example.invalid");
  // No provider logic: no API function, no schema, no client.
  expect(serialized.text).not.toMatch(/mailboxes\/|validation|zod|EnswitchClient|undici/);
}

describe("__provider of an installed package", () => {
  let project: PulumiProject;
  let serialized: Serialized;

  beforeAll(() => {
    project = createPulumiProject({ packed: packedPackage(), name: "mailbox-serialization" });
    serialized = runChild(
      project.dir,
      childScript("pulumi-enswitch", "pulumi-enswitch/dist/mailbox/forwarder.js"),
    );
    process.stdout.write(`__provider (installed package): ${serialized.size} bytes\n${serialized.text}\n`);
  });
  afterAll(() => project?.remove());

  it("is a reference to the forwarder by package name, under 1 KB", () => {
    expect(serialized.size).toBeLessThan(1024);
    expect(serialized.text).toContain('require("pulumi-enswitch/dist/mailbox/forwarder.js")');
    expect(serialized.direct).toBe(serialized.text);
  });

  it("holds no credential, URL, PIN or provider logic", () => {
    expectNothingSecret(serialized);
  });

  it("gives the host every provider method, which reaches the installed handlers when called", () => {
    expect(serialized.methods).toEqual(["configure", "check", "diff", "create", "read", "update", "delete"]);
    // Nothing configured in the host: the real check answers with the configuration advice.
    expect(serialized.check.failures?.[0]?.reason).toContain("pulumi config set enswitch:url");
  });
});

describe("__provider from this repository's build (not under node_modules)", () => {
  let serialized: Serialized;

  beforeAll(() => {
    serialized = runChild(
      REPO_ROOT,
      childScript(
        path.join(REPO_ROOT, "dist/mailbox/mailbox.js"),
        path.join(REPO_ROOT, "dist/mailbox/forwarder.js"),
      ),
    );
    process.stdout.write(`__provider (repository build): ${serialized.size} bytes\n`);
  });

  it("is written out by value, yet only forwards by package name: no logic and no values", () => {
    expect(serialized.text).toContain('"pulumi-enswitch/dist/mailbox/provider.js"');
    expectNothingSecret(serialized);
    expect(serialized.size).toBeLessThan(4096);
  });

  it("still works: the host resolves the package by name from the project directory", () => {
    expect(serialized.methods).toHaveLength(7);
    expect(serialized.check.failures?.[0]?.reason).toContain("pulumi config set enswitch:url");
  });
});
