/** The simulator's store: a JSON state file that survives restarts, and direct access for tests. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SimulatorStore, StateFileError, defaultFixture, startSimulator } from "../../provider/simulator";
import { ADMIN, codes, post } from "./http";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "enswitch-sim-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the state file", () => {
  it("holds every acknowledged change and survives a restart", async () => {
    const stateFile = path.join(dir, "state.json");
    const first = await startSimulator({ stateFile });
    try {
      const answer = await post(first.url, "mailboxes/create", {
        ...ADMIN,
        mailbox: "1234",
        pin: "567890",
        description: "kept",
      });
      expect(codes(answer)).toEqual(["204"]);
      // Acknowledged means durable: the file already has it, before any shutdown.
      expect(fs.readFileSync(stateFile, "utf8")).toContain('"kept"');
      first.store.setRatePlan(2, false);
    } finally {
      await first.close();
    }
    const second = await startSimulator({ stateFile });
    try {
      const got = await post(second.url, "mailboxes/get", { ...ADMIN, mailbox: "1234" });
      expect(got.json.data).toMatchObject({ mailbox: "1234", description: "kept" });
      expect(second.store.pinMatches(1, "1234", "567890")).toBe(true);
      expect(second.store.allowsMailboxes(2)).toBe(false);
    } finally {
      await second.close();
    }
  });

  it("never holds a PIN in clear text and leaves no temporary files", async () => {
    const stateFile = path.join(dir, "state.json");
    const sim = await startSimulator({ stateFile });
    try {
      await post(sim.url, "mailboxes/create", { ...ADMIN, mailbox: "1", pin: "97531864" });
      await post(sim.url, "mailboxes/update", { ...ADMIN, mailbox: "1", pin: "86420975" });
    } finally {
      await sim.close();
    }
    const text = fs.readFileSync(stateFile, "utf8");
    expect(text).not.toMatch(/97531864|86420975/);
    expect(fs.readdirSync(dir)).toEqual(["state.json"]);
  });

  it("deletes at load the temporary files a killed writer left of its own state file, and nothing else", () => {
    const stateFile = path.join(dir, "state.json");
    const seeded = new SimulatorStore(defaultFixture(), { stateFile });
    seeded.setRatePlan(2, false);
    const before = fs.readFileSync(stateFile, "utf8");
    // A pid that certainly ran and has exited: the writer SIGKILLed mid-write.
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    const stray = [`.state.json.${dead}.0a1b2c3d.tmp`, `.state.json.${dead}.ffffffff.tmp`];
    const kept = [
      `.state.json.${process.ppid}.0a1b2c3d.tmp`, // its writer is alive: another simulator mid-write
      `.other.json.${dead}.0a1b2c3d.tmp`, // another state file's
      `.state.json.${dead}.0a1b2c3d.tmp.keep`,
      `.state.json.${dead}.notahex0.tmp`,
      `state.json.${dead}.0a1b2c3d.tmp`,
      "state.json.bak",
    ];
    for (const name of [...stray, ...kept]) fs.writeFileSync(path.join(dir, name), '{"version": 1, "mailb');

    const loaded = new SimulatorStore(defaultFixture(), { stateFile });
    expect(loaded.allowsMailboxes(2)).toBe(false);
    expect(fs.readdirSync(dir).sort()).toEqual(["state.json", ...kept].sort());
    expect(fs.readFileSync(stateFile, "utf8")).toBe(before);
  });

  it("cleans up even when the killed write was the first, so no state file exists yet", () => {
    const stateFile = path.join(dir, "state.json");
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    fs.writeFileSync(path.join(dir, `.state.json.${dead}.0a1b2c3d.tmp`), "{");
    const store = new SimulatorStore(defaultFixture(), { stateFile });
    expect(store.listMailboxes(1)).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("refuses a file that is not a simulator state file", async () => {
    const stateFile = path.join(dir, "state.json");
    fs.writeFileSync(stateFile, "{not json");
    await expect(startSimulator({ stateFile })).rejects.toBeInstanceOf(StateFileError);
    fs.writeFileSync(stateFile, JSON.stringify({ hello: "world" }));
    await expect(startSimulator({ stateFile })).rejects.toThrow(/not a simulator state file/);
  });
});

describe("direct access behind Pulumi's back", () => {
  const store = () => new SimulatorStore(defaultFixture());

  it("putMailbox fills the seed's defaults for a new mailbox and merges into an existing one", () => {
    const s = store();
    s.putMailbox(1, { mailbox: "1", pin: "1234", description: "a" });
    expect(s.getMailbox(1, "1")).toMatchObject({
      mailbox: "1",
      customer: 1,
      description: "a",
      play: "oldest",
      saycid: 1,
    });
    s.putMailbox(1, { mailbox: "1", play: "newest", saycid: false, timezone: "Asia/Tokyo" });
    expect(s.getMailbox(1, "1")).toMatchObject({
      description: "a",
      play: "newest",
      saycid: 0,
      timezone: "Asia/Tokyo",
    });
    expect(s.pinMatches(1, "1", "1234")).toBe(true);
    expect(s.pinMatches(1, "1", "9999")).toBe(false);
  });

  it("deleteMailbox and listMailboxes work per customer", () => {
    const s = store();
    s.putMailbox(1, { mailbox: "5" });
    s.putMailbox(2, { mailbox: "5" });
    expect(s.deleteMailbox(1, "5")).toBe(true);
    expect(s.deleteMailbox(1, "5")).toBe(false);
    expect(s.listMailboxes(1)).toEqual([]);
    expect(s.listMailboxes(2).map((r) => r.customer)).toEqual([2]);
  });

  it("changes made in the store are what the API then answers", async () => {
    const sim = await startSimulator();
    try {
      sim.store.putMailbox(1, { mailbox: "77", pin: "1234", description: "drifted" });
      const got = await post(sim.url, "mailboxes/get", { ...ADMIN, mailbox: "77" });
      expect(got.json.data).toMatchObject({ description: "drifted" });
    } finally {
      await sim.close();
    }
  });
});
