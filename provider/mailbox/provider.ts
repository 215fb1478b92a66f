/**
 * The mailbox provider: the real `check`, `diff`, `create`, `read`, `update`, `delete` and
 * `configure` of the `Mailbox` resource. It runs in Pulumi's dynamic provider host, which reaches it
 * through the forwarder (`forwarder.ts`) by package name, so the code that runs is always the installed
 * package's, and nothing of it (no code, no setting, no credential) is stored in state.
 *
 * The host process keeps one {@link provider}: stack config arrives in `configure`, one client per
 * connection profile is built on first use, and `validation=1` answers are remembered for `diff`.
 *
 * @example
 * ```ts
 * // In a test: the handlers in-process, against a simulator.
 * const p = new MailboxProvider({ env: { ENSWITCH_URL: sim.url, ENSWITCH_USERNAME: "admin", ENSWITCH_PASSWORD: "admin" } });
 * const { inputs, failures } = await p.check({}, { mailbox: "2001", pin: "4821" });
 * const { id, outs } = await p.create(inputs);
 * ```
 */
import type * as pulumi from "@pulumi/pulumi";
import { EnswitchClient, differences } from "../enswitch/client";
import {
  EnswitchConfigurationError,
  EnswitchError,
  EnswitchNotFoundError,
  EnswitchValidationError,
} from "../enswitch/errors";
import { redactor } from "../enswitch/redact";
import { ConnectionSettings } from "../enswitch/settings";
import { ConfigSource, Connections } from "./connections";
import { DryRunRequest, askSwitch, dryRunMailbox } from "./dryRun";
import { MailboxExistsError, MailboxInitError, MailboxInputError, cleanError, existsHint } from "./errors";
import {
  PropertyMap,
  ResourceSettings,
  changedFields,
  checkInputs,
  declaredInputs,
  isUnknown,
  replacedProperties,
} from "./inputs";
import { FieldFailure, MailboxFields, SchemaOptions, mailboxFieldNames } from "./schema";
import { MailboxAddress, mailboxId, outputsOf, parseId, upgradeState } from "./state";
import { ValidationCache } from "./validationCache";
import { fromWire, toWire } from "./wire";

/** The calls of the Enswitch client the provider makes; tests may hand in their own. */
export type MailboxApi = Pick<
  EnswitchClient,
  "createMailbox" | "getMailbox" | "updateMailbox" | "deleteMailbox"
>;

/** How to build a {@link MailboxProvider}. Every option has a default. */
export interface MailboxProviderOptions {
  /** Where notices for the user go (no secrets). Default: Pulumi's log, shown by the engine. */
  log?: (message: string) => void;
  /** Builds the client of one connection. Default: `new EnswitchClient(settings)`. */
  createClient?: (settings: ConnectionSettings) => MailboxApi;
  /** The environment for the `ENSWITCH_*` fallbacks. Default: `process.env`. */
  env?: Record<string, string | undefined>;
}

/** One configured switch, ready to call. */
interface Connected {
  client: MailboxApi;
  /** Identifies switch and login for the validation memory (never the password). */
  identity: string;
  /** The settings' URL, to tell whether two profiles are the same switch. */
  url: string;
  options: SchemaOptions;
  /** Removes the password (and PINs passed later) from text that may be shown. */
  secrets: string[];
  /** Ask the switch about a mailbox `check` would have created (see `ResolvedConnection`). */
  dryRunCreates: boolean;
  /** Send `mailboxes/update` with `validation=1` (false: the switch has no dry run there). */
  dryRunUpdates: boolean;
}

const CREATE = "mailboxes/create";
const UPDATE = "mailboxes/update";

/** The mailbox provider. One per host process ({@link provider}); tests build their own. */
export class MailboxProvider implements pulumi.dynamic.ResourceProvider {
  private connections: Connections;
  private readonly clients = new Map<string, Connected>();
  /** `validation=1` answers of this process, shared by `check` and `diff`. */
  readonly validations = new ValidationCache();

  constructor(private readonly options: MailboxProviderOptions = {}) {
    this.connections = new Connections(undefined, options.env ?? process.env);
  }

  /** Receives the stack config (secrets decrypted) before any other call. Nothing is checked yet. */
  async configure(req: { config: ConfigSource }): Promise<void> {
    this.connections = new Connections(req.config, this.options.env ?? process.env);
    this.clients.clear();
  }

  /**
   * Schema, defaults, then a dry run on the switch of the call the deployment would make. Never
   * throws: every problem, a missing configuration or an unreachable switch included, is a failure.
   */
  async check(olds: PropertyMap, news: PropertyMap): Promise<pulumi.dynamic.CheckResult> {
    const prior = await this.withCurrentCustomer(typeof olds?.mailbox === "string" ? olds : undefined, news);
    const wanted = stickyCustomer(news, prior);
    const options = this.schemaOptions(wanted.connection);
    const checked = checkInputs(wanted, options, prior);
    if (checked.failures.length > 0) return { inputs: checked.inputs, failures: checked.failures };
    // A value not known yet (preview): the switch is asked when `up` checks again with real values.
    if (!checked.fields || !checked.resource) return { inputs: checked.inputs };
    const failures = await this.checkOnSwitch(prior, checked.inputs, checked.fields, checked.resource);
    return failures.length > 0 ? { inputs: checked.inputs, failures } : { inputs: checked.inputs };
  }

  /**
   * `mailbox`, a declared `customer` and `connection` replace; other fields update in place (`copyPin`
   * and `adopt` change nothing). A planned update is confirmed with `validation=1`, from memory when
   * `check` already asked the same.
   */
  async diff(_id: string, olds: PropertyMap, news: PropertyMap): Promise<pulumi.dynamic.DiffResult> {
    let redact = redactor([textOf(news.pin), textOf(olds?.pin)]);
    try {
      const state = upgradeState(olds ?? {});
      const options = this.schemaOptions(news.connection);
      const replaces = replacedProperties(state, news);
      const changes = changedFields(state, news, options);
      if (replaces.length === 0 && Object.keys(changes).length === 0) return { changes: false };
      if (replaces.length > 0) {
        return {
          changes: true,
          replaces,
          deleteBeforeReplace: this.sameMailboxAfterReplace(state, news, replaces),
        };
      }
      if (Object.values(news).some(isUnknown)) return { changes: true, replaces: [] };
      const conn = this.connect(news.connection);
      redact = redactor([...conn.secrets, textOf(news.pin), textOf(state.pin)]);
      const customer = typeof news.customer === "number" ? news.customer : undefined;
      const request: DryRunRequest = {
        fn: UPDATE,
        mailbox: String(state.mailbox),
        customer,
        fields: changes,
      };
      const failures = await this.dryRun(conn, request, redact);
      if (failures.length > 0)
        throw new MailboxInputError(UPDATE, "the switch would reject this change", failures);
      return { changes: true, replaces: [] };
    } catch (error) {
      throw cleanError(error, UPDATE, redact);
    }
  }

  /** Creates the mailbox (or, with `adopt`, takes over an existing one), then reads it back whole. */
  async create(inputs: PropertyMap): Promise<pulumi.dynamic.CreateResult> {
    let redact = redactor([textOf(inputs.pin)]);
    try {
      const options = this.schemaOptions(inputs.connection);
      const declared = declaredInputs(inputs, options);
      if (!declared.ok) throw new MailboxInputError(CREATE, "invalid inputs", declared.failures);
      const { fields, resource } = declared;
      const conn = this.connect(resource.connection);
      redact = redactor([...conn.secrets, fields.pin]);
      let exists = false;
      if (resource.adopt) {
        const row = await findMailbox(conn.client, fields.mailbox, fields.customer);
        if (row) {
          exists = true;
          const changes = changedFields(fromWire(row, conn.options), fields, conn.options);
          if (Object.keys(changes).length > 0) {
            await conn.client.updateMailbox(fields.mailbox, fields.customer, toWire(changes, conn.options));
          }
        } else if (fields.pin === undefined && fields.copyPin === "") {
          throw new MailboxInputError(CREATE, "adopt", [needsPin(fields)]);
        }
      }
      if (!exists) await this.createNew(conn, fields, resource);
      const current = await readBack(conn, fields, resource, inputs.__provider);
      const address = addressOf(fields.mailbox, current.customer ?? fields.customer);
      return {
        id: mailboxId(address),
        outs: outputsOf({ declared: fields, current, address, pin: fields.pin, resource }),
      };
    } catch (error) {
      throw cleanError(error, CREATE, redact);
    }
  }

  /**
   * The mailbox as the switch has it now. Gone (404) is an empty id. The returned inputs are the
   * switch's values too, so that a refresh realigns what the next `diff` compares against.
   */
  async read(id: string, props: PropertyMap): Promise<pulumi.dynamic.ReadResult> {
    let redact = redactor([textOf(props?.pin)]);
    try {
      const state = upgradeState(props ?? {});
      const address = parseId(id, state);
      const resource = resourceOf(state);
      const conn = this.connect(resource.connection);
      redact = redactor([...conn.secrets, textOf(state.pin)]);
      let row: Record<string, unknown>;
      try {
        row = await conn.client.getMailbox(address.mailbox, address.customer);
      } catch (error) {
        if (error instanceof EnswitchNotFoundError) return { id: "" };
        throw error;
      }
      const outs = outputsOf({
        declared: fieldsOf(state, conn.options),
        current: fromWire(row, conn.options),
        address,
        pin: textOf(state.pin),
        resource,
      });
      const inputs: PropertyMap = { ...outs };
      delete inputs.stateVersion;
      return { id: mailboxId(address), props: outs, inputs };
    } catch (error) {
      throw cleanError(error, "mailboxes/get", redact);
    }
  }

  /** Sends only the fields that differ (`""` clears), then reads the mailbox back whole. */
  async update(id: string, olds: PropertyMap, news: PropertyMap): Promise<pulumi.dynamic.UpdateResult> {
    let redact = redactor([textOf(news.pin), textOf(olds?.pin)]);
    try {
      const state = upgradeState(olds ?? {});
      const address = parseId(id, state);
      const options = this.schemaOptions(news.connection);
      const declared = declaredInputs(news, options, state);
      if (!declared.ok) throw new MailboxInputError(UPDATE, "invalid inputs", declared.failures);
      const { fields, resource } = declared;
      const conn = this.connect(resource.connection);
      redact = redactor([...conn.secrets, fields.pin, textOf(state.pin)]);
      const changes = changedFields(state, fields, conn.options);
      if (Object.keys(changes).length > 0) {
        await conn.client.updateMailbox(address.mailbox, address.customer, toWire(changes, conn.options));
      }
      const current = fromWire(await conn.client.getMailbox(address.mailbox, address.customer), conn.options);
      const pin = fields.pin ?? textOf(state.pin);
      return { outs: outputsOf({ declared: fields, current, address, pin, resource }) };
    } catch (error) {
      throw cleanError(error, UPDATE, redact);
    }
  }

  /** Deletes the mailbox; one that is already gone counts as deleted. */
  async delete(id: string, props: PropertyMap): Promise<void> {
    let redact = redactor([textOf(props?.pin)]);
    try {
      const state = upgradeState(props ?? {});
      const address = parseId(id, state);
      const conn = this.connect(resourceOf(state).connection);
      redact = redactor([...conn.secrets, textOf(state.pin)]);
      try {
        await conn.client.deleteMailbox(address.mailbox, address.customer);
      } catch (error) {
        if (!(error instanceof EnswitchNotFoundError)) throw error;
      }
    } catch (error) {
      throw cleanError(error, "mailboxes/delete", redact);
    }
  }

  /** The client of a profile, built on first use. @throws EnswitchConfigurationError */
  private connect(profile: unknown): Connected {
    const name = typeof profile === "string" ? profile : undefined;
    const key = name ?? "";
    const known = this.clients.get(key);
    if (known) return known;
    const resolved = this.connections.resolve(name);
    const settings = resolved.settings;
    const client = (this.options.createClient ?? ((s) => new EnswitchClient(s)))(settings);
    const connected: Connected = {
      client,
      identity: JSON.stringify([key, settings.url, settings.username]),
      url: settings.url,
      options: { enswitchVersion: resolved.enswitchVersion },
      secrets: [settings.password],
      dryRunCreates: resolved.dryRunCreates,
      dryRunUpdates: resolved.dryRunUpdates,
    };
    this.clients.set(key, connected);
    return connected;
  }

  private schemaOptions(profile: unknown): SchemaOptions {
    return {
      enswitchVersion: this.connections.enswitchVersion(typeof profile === "string" ? profile : undefined),
    };
  }

  /**
   * The remote half of `check`: the dry run of the call `up` would make. What is kept is compared with
   * what it is now (prior inputs, or the switch's row for `adopt`); the rest is created (see `dryRun.ts`
   * for the stand-ins).
   */
  private async checkOnSwitch(
    prior: PropertyMap | undefined,
    inputs: PropertyMap,
    fields: MailboxFields,
    resource: ResourceSettings,
  ): Promise<FieldFailure[]> {
    let redact = redactor([fields.pin]);
    try {
      const conn = this.connect(resource.connection);
      redact = redactor([...conn.secrets, fields.pin]);
      const replaces = prior ? replacedProperties(prior, inputs) : [];
      let current: PropertyMap | undefined;
      if (prior && replaces.length === 0) current = prior;
      // Deleted, then created again with these settings: validate them all against the mailbox as it is.
      else if (prior && this.sameMailboxAfterReplace(prior, inputs, replaces)) current = {};
      else if (resource.adopt) {
        const row = await findMailbox(conn.client, fields.mailbox, fields.customer);
        if (row) current = fromWire(row, conn.options);
        else if (fields.pin === undefined && fields.copyPin === "") return [needsPin(fields)];
      }
      // Left to the create call, which the switch validates the same way before it creates anything.
      if (current === undefined && !conn.dryRunCreates) return [];
      const failures = await dryRunMailbox(
        {
          fields,
          current,
          copySourceComesLater: async (source) =>
            (await findMailbox(conn.client, source, fields.customer)) === undefined,
        },
        (request) => this.dryRun(conn, request, redact),
        conn.options,
      );
      if (current === undefined && !resource.adopt && failures.some((f) => f.property === "mailbox")) {
        const row = await findMailbox(conn.client, fields.mailbox, fields.customer);
        // Exactly as declared (a create a crash interrupted): create takes it over and says so.
        if (
          row &&
          failures.every((f) => f.property === "mailbox") &&
          !differences(toWire(fields), row).length
        )
          return [];
        if (row) {
          return failures.map((f) =>
            f.property === "mailbox" ? { ...f, reason: `${f.reason} ${existsHint}` } : f,
          );
        }
      }
      return failures;
    } catch (error) {
      return [{ property: "", reason: remoteCheckReason(error, redact) }];
    }
  }

  /**
   * A `validation=1` call. An update is answered from memory when an identical one was made in this
   * process (`diff` confirms what `check` asked); a create never is, since its answer changes as the
   * deployment creates mailboxes (a `copyPin` source, a number taken).
   */
  private async dryRun(
    conn: Connected,
    call: DryRunRequest,
    redact: (text: string) => string,
  ): Promise<FieldFailure[]> {
    const ask = async () =>
      (await askSwitch(conn.client, call, conn.options)).map((f) => ({ ...f, reason: redact(f.reason) }));
    if (call.fn === CREATE) return ask();
    if (!conn.dryRunUpdates) return [];
    const request = {
      connection: conn.identity,
      fn: call.fn,
      target: `${call.customer ?? ""}/${call.mailbox}`,
      params: toWire(call.fields, conn.options),
    };
    const remembered = this.validations.get(request);
    if (remembered) return [...remembered];
    const failures = await ask();
    this.validations.set(request, failures);
    return failures;
  }

  /**
   * Old inputs never hold a customer the program did not declare, yet the mailbox lives in one: when
   * the program now declares `customer`, the switch says whether it is the one the mailbox already
   * lives in (the login's, where it was created), so that naming it is no replacement.
   */
  private async withCurrentCustomer(
    prior: PropertyMap | undefined,
    news: PropertyMap,
  ): Promise<PropertyMap | undefined> {
    if (!prior || prior.customer !== undefined || typeof news.customer !== "number") return prior;
    if (
      news.mailbox !== prior.mailbox ||
      (news.connection ?? undefined) !== (prior.connection ?? undefined)
    ) {
      return prior;
    }
    try {
      const conn = this.connect(prior.connection);
      const { customer } = fromWire(await conn.client.getMailbox(String(prior.mailbox)), conn.options);
      return customer === news.customer ? { ...prior, customer } : prior;
    } catch {
      // Not found, not configured, not reachable: compare as before; the remote step reports the cause.
      return prior;
    }
  }

  /** `mailboxes/create`, with "already exists" turned into the advice to adopt. */
  private async createNew(conn: Connected, fields: MailboxFields, resource: ResourceSettings): Promise<void> {
    try {
      const settled = await conn.client.createMailbox(toWire(fields, conn.options));
      if (settled) (this.options.log ?? logInfo)(settled);
    } catch (error) {
      if (
        error instanceof EnswitchValidationError &&
        error.field === "mailbox" &&
        !resource.adopt &&
        (await findMailbox(conn.client, fields.mailbox, fields.customer))
      ) {
        throw new MailboxExistsError(fields.mailbox, fields.customer, {
          fn: CREATE,
          code: error.code,
          responses: error.responses,
        });
      }
      throw error;
    }
  }

  /**
   * Whether a replacement would recreate the very same mailbox (same number and customer on the same
   * switch, reached through another profile): it must then be deleted first, as a switch holds a number
   * only once per customer. Every other replacement creates the new mailbox before deleting the old.
   */
  private sameMailboxAfterReplace(state: PropertyMap, news: PropertyMap, replaces: string[]): boolean {
    if (!replaces.includes("connection") || replaces.includes("mailbox") || replaces.includes("customer")) {
      return false;
    }
    try {
      const before = this.connect(state.connection).url;
      const after = this.connect(news.connection).url;
      return sameUrl(before, after);
    } catch {
      return false;
    }
  }
}

/** Pulumi's log, loaded only when there is something to say. */
function logInfo(message: string): void {
  void (require("@pulumi/pulumi/log") as typeof import("@pulumi/pulumi/log")).info(message);
}

/** The provider of this host process: what the forwarder calls. */
export const provider = new MailboxProvider();

/**
 * An undeclared customer means "where the mailbox already is": once the deployment has a customer in
 * its inputs, it stays there unless the program names another one or another connection.
 */
function stickyCustomer(news: PropertyMap, prior: PropertyMap | undefined): PropertyMap {
  if (news.customer !== undefined || prior === undefined || prior.customer === undefined) return news;
  if ((news.connection ?? undefined) !== (prior.connection ?? undefined)) return news;
  return { ...news, customer: prior.customer };
}

function textOf(value: unknown): string | undefined {
  return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

function addressOf(mailbox: string, customer: number | undefined): MailboxAddress {
  if (customer === undefined) {
    throw new EnswitchConfigurationError("mailboxes/get answered without the mailbox's customer.", {
      fn: "mailboxes/get",
      code: "DATA",
      hint: "Declare `customer` on the Mailbox, or check that enswitch:url points at a supported Enswitch version.",
    });
  }
  return { customer, mailbox };
}

function resourceOf(state: PropertyMap): ResourceSettings {
  const resource: ResourceSettings = { adopt: state.adopt === true };
  if (typeof state.connection === "string") resource.connection = state.connection;
  return resource;
}

/** The mailbox fields among stored outputs. */
function fieldsOf(state: PropertyMap, options: SchemaOptions): Partial<MailboxFields> {
  const out: PropertyMap = {};
  for (const name of mailboxFieldNames(options)) if (state[name] !== undefined) out[name] = state[name];
  return out as Partial<MailboxFields>;
}

/** Rounds of `mailboxes/get` (each with the client's own retries) before {@link readBack} gives up. */
const READ_BACK_ROUNDS = 3;

/**
 * The mailbox as the switch has it right after create or adopt. It exists at this point, so a plain
 * failure would leave it on the switch but out of state, and the next run would refuse it as "already
 * exists"; a success built from the declared values would hide that the read failed. So the read is
 * tried harder than a plain get, and when it still fails with the address known (`customer` declared)
 * this is Pulumi's "created but failed to initialise": {@link MailboxInitError} carries the id and the
 * outputs built from the declared values, the engine keeps the mailbox in state and reports the error,
 * and the next `pulumi up` updates it, which reads it back. Only without a declared customer is there
 * no id to give: the error then says exactly what to do.
 *
 * `hostProvider` is the `__provider` input, put back into the outputs as the host does for a successful
 * create (it does not for an init failure), so that a later Delete of the kept mailbox finds its provider.
 */
async function readBack(
  conn: Connected,
  fields: MailboxFields,
  resource: ResourceSettings,
  hostProvider: unknown,
): Promise<Partial<MailboxFields>> {
  let last: unknown;
  for (let round = 0; round < READ_BACK_ROUNDS; round++) {
    try {
      return fromWire(await conn.client.getMailbox(fields.mailbox, fields.customer), conn.options);
    } catch (error) {
      if (error instanceof EnswitchNotFoundError) throw error;
      last = error;
    }
  }
  const cause = last instanceof Error ? last.message : String(last);
  const code = last instanceof EnswitchError ? last.code : "TRANSPORT";
  if (fields.customer !== undefined) {
    const address = addressOf(fields.mailbox, fields.customer);
    const properties: PropertyMap = outputsOf({
      declared: fields,
      current: {},
      address,
      pin: fields.pin,
      resource,
    });
    if (hostProvider !== undefined) properties.__provider = hostProvider;
    throw new MailboxInitError(fields.mailbox, mailboxId(address), properties, cause, {
      fn: "mailboxes/get",
      code,
    });
  }
  throw new EnswitchError(`mailbox ${fields.mailbox} was created but could not be read back: ${cause}`, {
    fn: "mailboxes/get",
    code,
    hint: "It exists on the switch now: add `adopt: true` to its Mailbox arguments and run `pulumi up` again (or declare `customer`, which lets the provider keep it in state without reading it back).",
  });
}

/** `mailboxes/get`, with 404 as "no such mailbox". */
async function findMailbox(
  client: MailboxApi,
  mailbox: string,
  customer: number | undefined,
): Promise<Record<string, unknown> | undefined> {
  try {
    return await client.getMailbox(mailbox, customer);
  } catch (error) {
    if (error instanceof EnswitchNotFoundError) return undefined;
    throw error;
  }
}

function needsPin(fields: MailboxFields): FieldFailure {
  return {
    property: "pin",
    reason: `mailbox ${fields.mailbox} does not exist on the switch, so adopt: true will create it, which needs pin (or copyPin).`,
  };
}

/** Why the switch could not be asked: configuration (with its command), login, network. */
function remoteCheckReason(error: unknown, redact: (text: string) => string): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof EnswitchConfigurationError) return redact(message);
  return redact(`could not check this mailbox on the switch (validation=1): ${message}`);
}

function sameUrl(a: string, b: string): boolean {
  const norm = (u: string) => {
    try {
      const url = new URL(u);
      return `${url.protocol}//${url.host.toLowerCase()}${url.pathname.replace(/\/+$/, "")}`;
    } catch {
      return u;
    }
  };
  return norm(a) === norm(b);
}
