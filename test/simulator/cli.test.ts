/** `enswitch simulator` as a child process: the URL on the first line, state, clean exit on SIGTERM. */
import { ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parsePinLength } from "../../provider/cli/simulator";
import { childClosed } from "../support/childClosed";
import { ADMIN, codes, getRaw, keys, post } from "./http";
import { transpileTree } from "./transpile";

const root = path.resolve(__dirname, "../..");
const children = new Set<ChildProcessWithoutNullStreams>();
let dir: string;
let mainJs: string;

/** A running CLI: `closed` gives its exit code once its output is complete (`'close'`, not `'exit'`). */
interface Cli {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stderr: () => string;
  closed: Promise<number | null>;
}

/** Starts the CLI from the TypeScript sources and resolves with the first line of its stdout. */
function startCli(args: string[]): Promise<Cli> {
  const child = spawn(process.execPath, [mainJs, "simulator", ...args], {
    cwd: root,
    stdio: "pipe",
    env: { ...process.env, NODE_PATH: path.join(root, "node_modules") },
  });
  children.add(child);
  child.on("exit", () => children.delete(child));
  const closed = childClosed(child).then(({ code }) => code);
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf("\n");
      if (newline >= 0) resolve({ child, url: stdout.slice(0, newline), stderr: () => stderr, closed });
    });
    void closed.then((code) => reject(new Error(`simulator exited with ${code}: ${stderr}`)));
  });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "enswitch-cli-"));
  mainJs = transpileTree("provider/cli/main.ts", path.join(dir, "js"));
});
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

it("prints the base URL alone on the first line, serves, keeps state, and exits cleanly on SIGTERM", async () => {
  const stateFile = path.join(dir, "state.json");
  const args = [
    "--port",
    "0",
    "--state",
    stateFile,
    "--pin-length",
    "6-8",
    "--no-update-validation",
    "--log",
  ];
  const first = await startCli(args);
  expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+\/api\/json\/$/);
  expect(keys(await post(first.url, "mailboxes/create", { ...ADMIN, mailbox: "1", pin: "1234" }))).toEqual([
    "pin",
  ]);
  expect(
    codes(
      await getRaw(
        first.url,
        "mailboxes/create/?auth_username=admin;auth_password=admin;mailbox=1;pin=123456",
      ),
    ),
  ).toEqual(["204"]);
  // --no-update-validation: the dry run of an update is not one; it acts.
  const dry = { ...ADMIN, mailbox: "1", description: "acted", validation: "1" };
  expect(codes(await post(first.url, "mailboxes/update", dry))).toEqual(["204"]);
  const control = first.url.replace("/api/json/", "/_simulator/");
  expect(await (await fetch(`${control}counts`)).json()).toEqual({
    "mailboxes/create": 2,
    "mailboxes/update": 1,
  });
  first.child.kill("SIGTERM");
  expect(await first.closed).toBe(0);
  expect(first.stderr()).toContain("mailboxes/create");
  expect(first.stderr()).not.toMatch(/admin|123456/);

  // Without the flags: any PIN, and validation=1 on update is a dry run again.
  const second = await startCli(["--port", "0", "--state", stateFile]);
  const got = await post(second.url, "mailboxes/get", { ...ADMIN, mailbox: "1" });
  expect(got.json.data).toMatchObject({ description: "acted" });
  expect(codes(await post(second.url, "mailboxes/create", { ...ADMIN, mailbox: "2", pin: "12" }))).toEqual([
    "204",
  ]);
  expect(codes(await post(second.url, "mailboxes/update", { ...dry, description: "x" }))).toEqual(["201"]);
  second.child.kill("SIGINT");
  expect(await second.closed).toBe(0);
});

it("refuses a bad --pin-length", () => {
  expect(parsePinLength("4-10")).toEqual({ minLength: 4, maxLength: 10 });
  expect(parsePinLength("6")).toEqual({ minLength: 6, maxLength: 6 });
  expect(() => parsePinLength("9-3")).toThrow(/MIN-MAX/);
  expect(() => parsePinLength("0-3")).toThrow(/MIN-MAX/);
});
