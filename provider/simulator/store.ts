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
import { Fixture, FixtureCustomer } from "./fixture";
import { DEFAULT_ENSWITCH_VERSION, Param, majorVersion, mailboxParams, stored as asStored } from "./table";

/**
 * A mailbox as `mailboxes/get` returns it: API names, `mailbox` a string, integers and flags JSON
 * numbers, `customer` the customer ID, `dnumber` null until set (the seed's default is "None."),
 * `timezone` the customer's zone when the mailbox has none. Never a PIN.
 */
export type MailboxRow = Record<string, string | number | null>;

/** A mailbox as a test may write it behind the provider's back: API names, any subset but `mailbox`. */
export type MailboxRowInput = { mailbox: string; pin?: string } & Record<string, unknown>;

interface StoredMailbox {
  /** The table's fields (see `table.ts`) and `mailbox`; `timezone` absent when unset. */
  fields: Record<string, string | number | null>;
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
function hashPin(pin: string): string {
  const salt = randomBytes(8).toString("hex");
  return `sha256:${salt}:${createHash("sha256").update(`${salt}:${pin}`).digest("hex")}`;
}

function verifyPin(pinHash: string, pin: string): boolean {
  const [scheme, salt, hex] = pinHash.split(":");
  return scheme === "sha256" && hex === createHash("sha256").update(`${salt}:${pin}`).digest("hex");
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
  /** The fields of create and update for the Enswitch version simulated (see `table.ts`). */
  readonly params: Record<string, Param>;
  private readonly stateFile: string | undefined;

  /** @throws RangeError for an `enswitchVersion` that is not a version number. */
  constructor(
    private readonly fixture: Fixture,
    options: { stateFile?: string; enswitchVersion?: string } = {},
  ) {
    this.params = mailboxParams(majorVersion(options.enswitchVersion ?? DEFAULT_ENSWITCH_VERSION));
    this.stateFile = options.stateFile;
    if (this.stateFile !== undefined) this.load(this.stateFile);
  }

  /** The fixture entry of a customer, or `undefined`. */
  customer(id: number): FixtureCustomer | undefined {
    return this.fixture.customers.find((c) => c.id === id);
  }

  /** The row of a mailbox as `mailboxes/get` returns it, or `undefined`. */
  getMailbox(customer: number, mailbox: string): MailboxRow | undefined {
    const stored = this.find(customer, mailbox);
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
   * (for a new mailbox) or keep their value (for an existing one); `pin` is hashed, or `copy_pin`
   * names the mailbox of this customer whose PIN to copy; `timezone: ""` unsets the zone; other names
   * are ignored. No validation: the API checks first, and tests put the switch in any state with it.
   */
  putMailbox(customer: number, row: MailboxRowInput): void {
    const mailbox = String(row.mailbox);
    const all = (this.mailboxes[String(customer)] ??= {});
    const existing = all[mailbox];
    const copied = typeof row.copy_pin === "string" && row.copy_pin !== "" ? all[row.copy_pin] : undefined;
    const stored: StoredMailbox = {
      fields: existing ? { ...existing.fields } : this.defaults(mailbox),
      pinHash:
        copied?.pinHash ?? (row.pin !== undefined ? hashPin(String(row.pin)) : (existing?.pinHash ?? "")),
      destinations: existing?.destinations ?? [],
    };
    this.apply(stored, row);
    all[mailbox] = stored;
    this.persist();
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
    const stored = this.find(customer, mailbox);
    return stored !== undefined && verifyPin(stored.pinHash, pin);
  }

  /** The destination mailboxes of a mailbox, or `undefined` if it does not exist. */
  getDestinations(customer: number, mailbox: string): string[] | undefined {
    return this.find(customer, mailbox)?.destinations.slice();
  }

  /** Replaces the destinations of an existing mailbox. No validation. */
  setDestinations(customer: number, mailbox: string, destinations: string[]): void {
    const stored = this.find(customer, mailbox);
    if (!stored) return;
    stored.destinations = [...destinations];
    this.persist();
  }

  /** Sets the table's fields found in `changes`; everything else (PIN, customer, unknown names) is left. */
  private apply(stored: StoredMailbox, changes: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(changes)) {
      const param = this.params[key];
      if (param === undefined || value === undefined) continue;
      if (key === "timezone" && (value === "" || value === null)) delete stored.fields.timezone;
      else stored.fields[key] = asStored(param.type, value);
    }
  }

  private find(customer: number, mailbox: string): StoredMailbox | undefined {
    return this.mailboxes[String(customer)]?.[mailbox];
  }

  /** The seed's defaults as stored fields (no timezone: the customer's applies). */
  private defaults(mailbox: string): Record<string, string | number | null> {
    const fields: Record<string, string | number | null> = { mailbox };
    for (const [key, param] of Object.entries(this.params)) {
      if (param.default !== undefined) fields[key] = param.default;
    }
    return fields;
  }

  private toRow(customer: number, stored: StoredMailbox): MailboxRow {
    const row: MailboxRow = { mailbox: stored.fields.mailbox ?? "", customer };
    for (const key of Object.keys(this.params)) {
      const value = stored.fields[key];
      if (key === "timezone") row.timezone = value ?? this.customer(customer)?.timezone ?? "";
      else if (value !== undefined) row[key] = value;
    }
    return row;
  }

  private load(file: string): void {
    removeStrayTemps(file);
    let contents: Partial<StateFileContents> | null;
    try {
      contents = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<StateFileContents> | null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw new StateFileError(file, error instanceof SyntaxError ? "it is not valid JSON" : String(error));
    }
    if (
      contents?.version !== 1 ||
      typeof contents.mailboxes !== "object" ||
      typeof contents.ratePlans !== "object"
    ) {
      throw new StateFileError(file, "it is not a simulator state file (version 1)");
    }
    this.mailboxes = contents.mailboxes;
    this.ratePlans = contents.ratePlans;
  }

  /** Replaces the state file atomically and durably; a no-op without a state file. */
  private persist(): void {
    const file = this.stateFile;
    if (file === undefined) return;
    const contents: StateFileContents = { version: 1, mailboxes: this.mailboxes, ratePlans: this.ratePlans };
    const dir = path.dirname(path.resolve(file));
    // The pattern removeStrayTemps looks for: `.<file>.<pid>.<nonce>.tmp`.
    const nonce = randomBytes(4).toString("hex");
    const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${nonce}.tmp`);
    // Synchronous on purpose: the event loop cannot interleave two writes, so renames land in order.
    const fd = fs.openSync(temp, "w", 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(contents, null, 2) + "\n");
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
    let dirFd: number | undefined;
    try {
      dirFd = fs.openSync(dir, "r");
      fs.fsyncSync(dirFd);
    } catch {
      // Some file systems refuse fsync on a directory; the rename itself is still atomic.
    } finally {
      if (dirFd !== undefined) fs.closeSync(dirFd);
    }
  }
}

/**
 * Deletes the temporary files of `file` (as `persist` names them) that a writer killed mid-write left
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
