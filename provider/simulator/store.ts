/**
 * The simulator's database: mailboxes per customer, their destinations, PIN verifiers and rate-plan
 * overrides. In memory, or mirrored to a JSON file that is replaced atomically (temporary file,
 * fsync, rename, fsync of the directory) after every change, so that a change the simulator has
 * acknowledged survives a crash or a restart.
 *
 * PINs are never stored: only a salted SHA-256 verifier, which `copy_pin` copies and
 * {@link SimulatorStore.pinMatches} checks.
 */
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { SchemaOptions, mailboxSchemas } from "../mailbox/schema";
import { WireKind, toWire, wireKinds, wireName } from "../mailbox/wire";
import { Fixture, FixtureCustomer } from "./fixture";

/**
 * A mailbox as `mailboxes/get` returns it: wire names, `mailbox` a string, integers and flags JSON
 * numbers, `customer` the customer ID, `timezone` the customer's zone when the mailbox has none.
 * Never a PIN.
 */
export type MailboxRow = Record<string, string | number>;

/** A mailbox as a test may write it behind the provider's back: wire names, any subset but `mailbox`. */
export type MailboxRowInput = { mailbox: string; pin?: string } & Record<string, unknown>;

interface StoredMailbox {
  /** Wire-named fields without `customer`, `pin` and `copy_pin`; `timezone` absent when unset. */
  fields: Record<string, string | number>;
  /** `sha256:<salt>:<hex>`, or `""` for a mailbox without PIN. */
  pinHash: string;
  destinations: string[];
}

interface StateFileContents {
  version: 1;
  mailboxes: Record<string, Record<string, StoredMailbox>>;
  ratePlans: Record<string, boolean>;
}

/** Thrown when the state file exists but cannot be used. */
export class StateFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`Cannot load simulator state file ${file}: ${reason}. Delete it or point --state elsewhere.`);
    this.name = "StateFileError";
  }
}

/** Hashes a PIN with a fresh salt. */
export function hashPin(pin: string): string {
  const salt = randomBytes(8).toString("hex");
  return `sha256:${salt}:${createHash("sha256").update(`${salt}:${pin}`).digest("hex")}`;
}

function verifyPin(pinHash: string, pin: string): boolean {
  const [scheme, salt, hex] = pinHash.split(":");
  if (scheme !== "sha256" || salt === undefined || hex === undefined) return false;
  return createHash("sha256").update(`${salt}:${pin}`).digest("hex") === hex;
}

/** Orders mailbox numbers as people read them: 2 before 10, then by text (leading zeros). */
function byMailbox(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true }) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Direct access to the simulator's data, for tests that change the switch "behind Pulumi's back".
 * Every change is persisted before the method returns.
 */
export class SimulatorStore {
  private mailboxes: Record<string, Record<string, StoredMailbox>> = {};
  private ratePlans: Record<string, boolean> = {};
  private readonly kinds: Record<string, WireKind>;
  private readonly schemaOptions: SchemaOptions;

  constructor(
    private readonly fixture: Fixture,
    options: { stateFile?: string; enswitchVersion?: string } = {},
  ) {
    this.schemaOptions = { enswitchVersion: options.enswitchVersion };
    this.kinds = {};
    for (const [name, kind] of Object.entries(wireKinds(this.schemaOptions))) {
      this.kinds[wireName(name)] = kind;
    }
    this.stateFile = options.stateFile;
    if (this.stateFile !== undefined) this.load(this.stateFile);
  }

  private readonly stateFile: string | undefined;

  /** The fixture entry of a customer, or `undefined`. */
  customer(id: number): FixtureCustomer | undefined {
    return this.fixture.customers.find((c) => c.id === id);
  }

  /** The row of a mailbox as `mailboxes/get` returns it, or `undefined`. */
  getMailbox(customer: number, mailbox: string): MailboxRow | undefined {
    const stored = this.mailboxes[String(customer)]?.[mailbox];
    return stored ? this.toRow(customer, stored) : undefined;
  }

  /** Every mailbox of a customer, ordered by number. */
  listMailboxes(customer: number): MailboxRow[] {
    const all = this.mailboxes[String(customer)] ?? {};
    return Object.keys(all)
      .sort(byMailbox)
      .map((m) => this.toRow(customer, all[m] as StoredMailbox));
  }

  /**
   * Writes a mailbox as given, creating or replacing it. Fields left out take the seed's defaults
   * (for a new mailbox) or keep their value (for an existing one); `pin` is hashed; `timezone: ""`
   * unsets the zone. No validation: this is how a test puts the switch in any state.
   */
  putMailbox(customer: number, row: MailboxRowInput): void {
    const mailbox = String(row.mailbox);
    const existing = this.mailboxes[String(customer)]?.[mailbox];
    const fields = existing ? { ...existing.fields } : this.defaults(mailbox);
    for (const [key, value] of Object.entries(row)) {
      const kind = this.kinds[key];
      if (kind === undefined || key === "pin" || key === "copy_pin" || key === "customer") continue;
      if (key === "timezone" && (value === "" || value === undefined || value === null))
        delete fields.timezone;
      else if (value !== undefined) fields[key] = this.coerce(kind, value);
    }
    fields.mailbox = mailbox;
    const pinHash = row.pin !== undefined ? hashPin(String(row.pin)) : (existing?.pinHash ?? "");
    this.write(customer, mailbox, { fields, pinHash, destinations: existing?.destinations ?? [] });
  }

  /** Deletes a mailbox (and removes it from other mailboxes' destinations). True if it existed. */
  deleteMailbox(customer: number, mailbox: string): boolean {
    const all = this.mailboxes[String(customer)];
    if (!all || !all[mailbox]) return false;
    delete all[mailbox];
    for (const other of Object.values(all)) {
      other.destinations = other.destinations.filter((d) => d !== mailbox);
    }
    this.persist();
    return true;
  }

  /** Removes every mailbox and rate-plan override. */
  clear(): void {
    this.mailboxes = {};
    this.ratePlans = {};
    this.persist();
  }

  /** Switches a customer's rate plan: `false` makes every mailbox function answer 403. */
  setRatePlan(customer: number, allowsMailboxes: boolean): void {
    this.ratePlans[String(customer)] = allowsMailboxes;
    this.persist();
  }

  /** Whether the customer's rate plan allows mailboxes (override, else fixture, else false). */
  allowsMailboxes(customer: number): boolean {
    return this.ratePlans[String(customer)] ?? this.customer(customer)?.allowsMailboxes ?? false;
  }

  /** Whether `pin` is the mailbox's PIN. The only way to look at a PIN, for tests. */
  pinMatches(customer: number, mailbox: string, pin: string): boolean {
    const stored = this.mailboxes[String(customer)]?.[mailbox];
    return stored !== undefined && verifyPin(stored.pinHash, pin);
  }

  /** The destinations of a mailbox, or `undefined` if it does not exist. */
  getDestinations(customer: number, mailbox: string): string[] | undefined {
    const stored = this.mailboxes[String(customer)]?.[mailbox];
    return stored ? [...stored.destinations] : undefined;
  }

  /** Replaces the destinations of an existing mailbox. No validation. */
  setDestinations(customer: number, mailbox: string, destinations: string[]): void {
    const stored = this.mailboxes[String(customer)]?.[mailbox];
    if (!stored) return;
    stored.destinations = [...destinations];
    this.persist();
  }

  /** @internal Creates a validated mailbox: `fields` are wire values; the PIN is given or copied. */
  create(
    customer: number,
    fields: Record<string, string>,
    pin: { pin: string } | { copyFrom: string },
  ): void {
    const mailbox = fields.mailbox as string;
    const stored: StoredMailbox = { fields: this.defaults(mailbox), pinHash: "", destinations: [] };
    this.apply(stored, fields);
    stored.pinHash =
      "pin" in pin ? hashPin(pin.pin) : (this.mailboxes[String(customer)]?.[pin.copyFrom]?.pinHash ?? "");
    this.write(customer, mailbox, stored);
  }

  /** @internal Applies a validated change (wire values; `""` timezone unsets) and an optional new PIN. */
  update(customer: number, mailbox: string, changes: Record<string, string>, pin?: string): void {
    const stored = this.mailboxes[String(customer)]?.[mailbox];
    if (!stored) return;
    this.apply(stored, changes);
    if (pin !== undefined) stored.pinHash = hashPin(pin);
    this.persist();
  }

  private apply(stored: StoredMailbox, changes: Record<string, string>): void {
    for (const [key, value] of Object.entries(changes)) {
      const kind = this.kinds[key];
      if (
        kind === undefined ||
        key === "pin" ||
        key === "copy_pin" ||
        key === "customer" ||
        key === "mailbox"
      )
        continue;
      if (key === "timezone" && value === "") delete stored.fields.timezone;
      else stored.fields[key] = this.coerce(kind, value);
    }
  }

  private write(customer: number, mailbox: string, stored: StoredMailbox): void {
    const key = String(customer);
    this.mailboxes[key] = this.mailboxes[key] ?? {};
    this.mailboxes[key][mailbox] = stored;
    this.persist();
  }

  /** The seed's defaults as stored fields (no customer, PIN or timezone). */
  private defaults(mailbox: string): Record<string, string | number> {
    const parsed = mailboxSchemas(this.schemaOptions).create.parse({ mailbox, pin: "0000" });
    const wire = toWire(parsed, this.schemaOptions);
    const fields: Record<string, string | number> = {};
    for (const [key, value] of Object.entries(wire)) {
      const kind = this.kinds[key];
      if (kind === undefined || key === "pin" || key === "copy_pin" || key === "customer") continue;
      fields[key] = this.coerce(kind, value);
    }
    return fields;
  }

  private coerce(kind: WireKind, value: unknown): string | number {
    if (kind === "string") return String(value);
    if (value === true) return 1;
    if (value === false) return 0;
    const n = Number(value);
    return Number.isFinite(n) ? n : 0;
  }

  private toRow(customer: number, stored: StoredMailbox): MailboxRow {
    const row: MailboxRow = {};
    for (const key of Object.keys(this.kinds)) {
      if (key === "pin" || key === "copy_pin") continue;
      if (key === "customer") row.customer = customer;
      else if (key === "timezone")
        row.timezone = stored.fields.timezone ?? this.customer(customer)?.timezone ?? "";
      else if (stored.fields[key] !== undefined) row[key] = stored.fields[key] as string | number;
    }
    return row;
  }

  private load(file: string): void {
    removeStrayTemps(file);
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw new StateFileError(file, (error as Error).message);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new StateFileError(file, "it is not valid JSON");
    }
    const contents = parsed as Partial<StateFileContents>;
    if (
      typeof contents !== "object" ||
      contents === null ||
      contents.version !== 1 ||
      typeof contents.mailboxes !== "object" ||
      typeof contents.ratePlans !== "object"
    ) {
      throw new StateFileError(file, "it is not a simulator state file (version 1)");
    }
    this.mailboxes = contents.mailboxes ?? {};
    this.ratePlans = contents.ratePlans ?? {};
  }

  /** Replaces the state file atomically and durably; a no-op without a state file. */
  private persist(): void {
    const file = this.stateFile;
    if (file === undefined) return;
    const contents: StateFileContents = { version: 1, mailboxes: this.mailboxes, ratePlans: this.ratePlans };
    const dir = path.dirname(path.resolve(file));
    const temp = path.join(dir, tempName(file, process.pid, randomBytes(4).toString("hex")));
    // Synchronous on purpose: the event loop cannot interleave two writes, so renames land in order.
    const fd = fs.openSync(temp, "w", 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(contents, null, 2) + "\n");
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
    try {
      const dirFd = fs.openSync(dir, "r");
      try {
        fs.fsyncSync(dirFd);
      } finally {
        fs.closeSync(dirFd);
      }
    } catch {
      // Some file systems refuse fsync on a directory; the rename itself is still atomic.
    }
  }
}

/** The name of a temporary file that `persist` writes next to `file` before renaming it over `file`. */
function tempName(file: string, pid: number, nonce: string): string {
  return `.${path.basename(file)}.${pid}.${nonce}.tmp`;
}

/**
 * Deletes the temporary files of `file` (see {@link tempName}) that a writer killed mid-write left
 * behind. Only names of exactly that pattern are touched, and only those whose writer process is
 * gone, so a second simulator still writing its own copy is not disturbed.
 */
function removeStrayTemps(file: string): void {
  const dir = path.dirname(path.resolve(file));
  const base = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^\\.${base}\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$`);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return; // No directory yet: nothing was ever written there.
  }
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match || isRunning(Number(match[1]))) continue;
    fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** True when a process with this id exists (this process, at load, writes nothing yet: it counts as gone). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
