/**
 * The mailbox provider: `configure`, `check`, `diff`, `create`, `read`, `update`, `delete` of the
 * `Mailbox` resource, run in Pulumi's dynamic provider host through the forwarder (`forwarder.ts`).
 * One {@link provider} per host process; one client per connection profile, built on first use.
 * Which handler asks the switch what, and why: ARCHITECTURE.md, "The handlers".
 *
 * @example
 * ```ts
 * const p = new MailboxProvider({ env: { ENSWITCH_URL: sim.url, ENSWITCH_USERNAME: "admin", ENSWITCH_PASSWORD: "admin" } });
 * const { inputs } = await p.check({}, { mailbox: "2001", pin: "4821" });
 * const { id, outs } = await p.create(inputs);
 * ```
 */
import type * as pulumi from "@pulumi/pulumi";
import type { EnswitchClient } from "../enswitch/client";
import {
  EnswitchAuthenticationError,
  EnswitchConfigurationError,
  EnswitchNotFoundError,
  EnswitchValidationError,
} from "../enswitch/errors";
import { redactor } from "../enswitch/redact";
import { ConnectionSettings } from "../enswitch/settings";
import { ConfigSource, Connections, ResolvedConnection } from "./connections";
import { askSwitch, dryRunMailbox } from "./dryRun";
import {
  MailboxDeleteRefusedError,
  MailboxDeletedError,
  MailboxExistsError,
  MailboxInputError,
  cleanError,
  existsHint,
  storedLoginHint,
} from "./errors";
import { PropertyMap, changedFields, checkInputs, replacedProperties } from "./inputs";
import { isUnknown } from "./engine";
import { FieldFailure, MailboxFields, ResourceFields, SchemaOptions, mailboxFieldNames } from "./schema";
import { findMailbox, mailboxId, outputsOf, parseId, readBack, upgradeState } from "./state";
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

/** One configured switch: its client, URL (same URL, same switch), schema options and password. */
interface Connected extends Pick<ResolvedConnection, "dryRunCreates" | "dryRunUpdates"> {
  client: MailboxApi;
  url: string;
  options: SchemaOptions;
  secrets: string[];
}

const CREATE = "mailboxes/create";
const UPDATE = "mailboxes/update";

/** The mailbox provider. One per host process ({@link provider}); tests build their own. */
export class MailboxProvider implements pulumi.dynamic.ResourceProvider {
  private connections: Connections;
  private readonly clients = new Map<string, Connected>();

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
   * With empty olds (a new mailbox, or the engine's second Check of a replacement) it can only see
   * the news: a number taken at that address is a real conflict, since a replacement always moves the
   * mailbox to another address (see `replaces`).
   */
  async check(olds: PropertyMap, news: PropertyMap): Promise<pulumi.dynamic.CheckResult> {
    const { prior, wanted } = await this.compared(olds, news);
    const checked = checkInputs(wanted, this.schemaOptions(wanted.connection), prior);
    const { inputs, fields, resource } = checked;
    if (checked.failures.length > 0) return { inputs, failures: checked.failures };
    // A value not known yet (preview): the switch is asked when `up` checks again with real values.
    if (!fields || !resource) return { inputs };
    const failures = await this.checkOnSwitch(prior, inputs, fields, resource);
    return failures.length > 0 ? { inputs, failures } : { inputs };
  }

  /**
   * `mailbox`, a declared `customer` and a `connection` to another switch replace; other fields update
   * in place (`copyPin` and `adopt` change nothing). Sends nothing: `check` has already asked the
   * switch about a planned update, and in a refresh (refreshed outputs as olds, old inputs as news)
   * a drift the switch would refuse to take back is reported, not an error.
   */
  async diff(_id: string, olds: PropertyMap, news: PropertyMap): Promise<pulumi.dynamic.DiffResult> {
    return this.guard(UPDATE, [news.pin, olds?.pin], async () => {
      const state = upgradeState(olds ?? {});
      const replaces = this.replaces(state, news);
      if (replaces.length > 0) return { changes: true, replaces, deleteBeforeReplace: false };
      const changed =
        Object.keys(changedFields(state, news, this.schemaOptions(news.connection))).length > 0 ||
        (news.connection ?? undefined) !== (state.connection ?? undefined);
      return changed ? { changes: true, replaces: [] } : { changes: false };
    });
  }

  /** Creates the mailbox (or, with `adopt`, takes over an existing one), then reads it back whole. */
  async create(inputs: PropertyMap): Promise<pulumi.dynamic.CreateResult> {
    return this.guard(CREATE, [inputs.pin], async () => {
      const { fields, resource } = this.declared(CREATE, inputs);
      const conn = this.connect(resource.connection);
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
      return readBack(conn.client, conn.options, fields, resource, inputs.__provider);
    });
  }

  /**
   * The mailbox as the switch has it now: one `mailboxes/get`. Gone (404) is an empty id. The returned
   * inputs are the switch's values too, so that a refresh realigns what the next `diff` compares against.
   */
  async read(id: string, props: PropertyMap): Promise<pulumi.dynamic.ReadResult> {
    return this.guard("mailboxes/get", [props?.pin], async () => {
      const state = upgradeState(props ?? {});
      const address = parseId(id, state);
      const resource = resourceOf(state);
      const conn = this.connect(resource.connection);
      const row = await storedLogin(findMailbox(conn.client, address.mailbox, address.customer));
      if (!row) return { id: "" };
      const declared: PropertyMap = {};
      for (const name of mailboxFieldNames(conn.options)) if (name in state) declared[name] = state[name];
      const current = fromWire(row, conn.options);
      const outs = outputsOf({ declared, current, address, pin: textOf(state.pin), resource });
      const { stateVersion: _version, ...inputs } = outs;
      return { id: mailboxId(address), props: outs, inputs };
    });
  }

  /** Sends only the fields that differ (`""` clears), then reads the mailbox back whole. */
  async update(id: string, olds: PropertyMap, news: PropertyMap): Promise<pulumi.dynamic.UpdateResult> {
    return this.guard(UPDATE, [news.pin, olds?.pin], async () => {
      const state = upgradeState(olds ?? {});
      const address = parseId(id, state);
      const { fields, resource } = this.declared(UPDATE, news, state);
      const conn = this.connect(resource.connection);
      const changes = changedFields(state, fields, conn.options);
      try {
        if (Object.keys(changes).length > 0) {
          await conn.client.updateMailbox(address.mailbox, address.customer, toWire(changes, conn.options));
        }
        const current = fromWire(
          await conn.client.getMailbox(address.mailbox, address.customer),
          conn.options,
        );
        const pin = fields.pin ?? textOf(state.pin);
        return { outs: outputsOf({ declared: fields, current, address, pin, resource }) };
      } catch (error) {
        throw error instanceof EnswitchNotFoundError ? new MailboxDeletedError(address, error) : error;
      }
    });
  }

  /**
   * Deletes the mailbox. The switch answers 404 both for "does not exist" and for "you do not have
   * permission to delete it", so a 404 is confirmed with `mailboxes/get`: a mailbox the login still
   * sees was not deleted (the login may not delete), anything else counts as deleted.
   */
  async delete(id: string, props: PropertyMap): Promise<void> {
    return this.guard("mailboxes/delete", [props?.pin], async () => {
      const state = upgradeState(props ?? {});
      const address = parseId(id, state);
      const conn = this.connect(resourceOf(state).connection);
      try {
        await storedLogin(conn.client.deleteMailbox(address.mailbox, address.customer));
      } catch (error) {
        if (!(error instanceof EnswitchNotFoundError)) throw error;
        if (await findMailbox(conn.client, address.mailbox, address.customer)) {
          throw new MailboxDeleteRefusedError(address, error);
        }
      }
    });
  }

  /** Runs a handler; anything it throws leaves as a clean `EnswitchError` with the secrets redacted. */
  private async guard<T>(fn: string, pins: unknown[], body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      throw cleanError(error, fn, this.redactor(pins));
    }
  }

  /** Removes the PINs given and the password of every connection built so far. */
  private redactor(pins: unknown[]): (text: string) => string {
    const secrets = [...this.clients.values()].flatMap((c) => c.secrets);
    return redactor([...pins.map(textOf), ...secrets]);
  }

  /** The parsed inputs of `create`/`update` (the engine may hand over inputs this process never checked). */
  private declared(fn: string, inputs: PropertyMap, existing?: PropertyMap) {
    const checked = checkInputs(inputs, this.schemaOptions(inputs.connection), existing);
    if (checked.fields && checked.resource) return { fields: checked.fields, resource: checked.resource };
    const { failures } = checked;
    if (failures.length === 0) failures.push({ property: "", reason: "has values that are not known yet" });
    throw new MailboxInputError(fn, "invalid inputs", failures);
  }

  /** The client of a profile, built on first use. @throws EnswitchConfigurationError */
  private connect(profile: unknown): Connected {
    const name = typeof profile === "string" ? profile : undefined;
    const known = this.clients.get(name ?? "");
    if (known) return known;
    const { settings, enswitchVersion, dryRunCreates, dryRunUpdates } = this.connections.resolve(name);
    const create = this.options.createClient ?? ((s) => new (loadClient().EnswitchClient)(s));
    let client: MailboxApi | undefined;
    const connected: Connected = {
      get client() {
        return (client ??= create(settings));
      },
      url: settings.url,
      options: { enswitchVersion },
      secrets: [settings.password],
      dryRunCreates,
      dryRunUpdates,
    };
    this.clients.set(name ?? "", connected);
    return connected;
  }

  private schemaOptions(profile: unknown): SchemaOptions {
    return { enswitchVersion: this.connections.enswitchVersion(textOf(profile)) };
  }

  /** Whether two profiles reach the same switch (same URL); unresolvable ones count as different. */
  private sameSwitch(before: unknown, after: unknown): boolean {
    if ((before ?? undefined) === (after ?? undefined)) return true;
    try {
      return sameUrl(this.connect(before).url, this.connect(after).url);
    } catch {
      return false;
    }
  }

  private replaces(current: PropertyMap, wanted: PropertyMap): string[] {
    return replacedProperties(current, wanted, (a, b) => this.sameSwitch(a, b));
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
    resource: ResourceFields,
  ): Promise<FieldFailure[]> {
    const redact = (text: string) => this.redactor([fields.pin])(text);
    let current: PropertyMap | undefined;
    try {
      const conn = this.connect(resource.connection);
      if (prior && this.replaces(prior, inputs).length === 0) current = prior;
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
        async (request) =>
          request.fn !== CREATE && !conn.dryRunUpdates
            ? []
            : (await askSwitch(conn.client, request, conn.options)).map((f) => ({
                ...f,
                reason: redact(f.reason),
              })),
        conn.options,
      );
      if (current !== undefined || resource.adopt || !failures.some((f) => f.property === "mailbox")) {
        return failures;
      }
      const row = await findMailbox(conn.client, fields.mailbox, fields.customer);
      if (!row) return failures;
      // Exactly as declared (a create a crash interrupted): create takes it over and says so.
      if (
        failures.every((f) => f.property === "mailbox") &&
        !loadClient().differences(toWire(fields, conn.options), row).length
      )
        return [];
      return failures.map((f) =>
        f.property === "mailbox" ? { ...f, reason: `${f.reason} ${existsHint}` } : f,
      );
    } catch (error) {
      return [remoteFailure(error, fields, current !== undefined, redact)];
    }
  }

  /**
   * Old inputs and news as check compares them. An undeclared customer means "where the mailbox
   * already is", so it stays while the switch does. Old inputs never hold a customer the program did
   * not declare: when the program starts declaring one, the switch says whether the mailbox already
   * lives there (the login's customer, where it was created), so that naming it is no replacement.
   */
  private async compared(olds: PropertyMap, news: PropertyMap) {
    let prior = typeof olds?.mailbox === "string" ? olds : undefined;
    if (!prior || !this.sameSwitch(prior.connection, news.connection)) return { prior, wanted: news };
    if (news.customer === undefined && prior.customer !== undefined) {
      return { prior, wanted: { ...news, customer: prior.customer } };
    }
    if (prior.customer === undefined && typeof news.customer === "number" && news.mailbox === prior.mailbox) {
      try {
        const conn = this.connect(prior.connection);
        const { customer } = fromWire(await conn.client.getMailbox(String(prior.mailbox)), conn.options);
        if (customer === news.customer) prior = { ...prior, customer };
      } catch {
        // Not found, not configured, not reachable: compare as before; the remote step reports the cause.
      }
    }
    return { prior, wanted: news };
  }

  /** `mailboxes/create`, with "already exists" turned into the advice to adopt. */
  private async createNew(conn: Connected, fields: MailboxFields, resource: ResourceFields): Promise<void> {
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
}

/** The client module, and undici with it: loaded on the first request (a preview of an unchanged fleet makes none). */
const loadClient = () => require("../enswitch/client") as typeof import("../enswitch/client");

/** Pulumi's log, loaded only when there is something to say. */
function logInfo(message: string): void {
  void (require("@pulumi/pulumi/log") as typeof import("@pulumi/pulumi/log")).info(message);
}

/** The provider of this host process: what the forwarder calls. */
export const provider = new MailboxProvider();

function textOf(value: unknown): string | undefined {
  return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

function resourceOf(state: PropertyMap): ResourceFields {
  return { adopt: state.adopt === true, connection: textOf(state.connection) };
}

/** A refused login in read or delete gets the advice about the credentials stored at the last `up`. */
async function storedLogin<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof EnswitchAuthenticationError) error.message = `${error.message} ${storedLoginHint}`;
    throw error;
  }
}

function needsPin(fields: MailboxFields): FieldFailure {
  return {
    property: "pin",
    reason: `mailbox ${fields.mailbox} does not exist on the switch, so adopt: true will create it, which needs pin (or copyPin).`,
  };
}

/**
 * Why the switch could not be asked. A 404 on a create can only mean the customer (missing, or out of
 * the login's reach), so it fails on `customer`; on an update, the mailbox was deleted by hand.
 */
function remoteFailure(
  error: unknown,
  fields: MailboxFields,
  exists: boolean,
  redact: (text: string) => string,
): FieldFailure {
  const { mailbox, customer } = fields;
  if (error instanceof EnswitchNotFoundError && exists) {
    const reason = `mailbox ${mailbox} was deleted outside Pulumi (or this login may no longer see it): run \`pulumi refresh\`.`;
    return { property: "", reason };
  }
  if (error instanceof EnswitchNotFoundError && customer !== undefined) {
    const reason = `customer ${customer} does not exist, or this connection's login may not act in it (the switch answers 404 for both).`;
    return { property: "customer", reason };
  }
  const message = error instanceof Error ? error.message : String(error);
  const why =
    error instanceof EnswitchConfigurationError
      ? ""
      : "could not check this mailbox on the switch (validation=1): ";
  return { property: "", reason: redact(why + message) };
}

/** Whether two URLs name the same API (scheme, host and path; case of the host and a final / aside). */
function sameUrl(a: string, b: string): boolean {
  const norm = (u: string, url = URL.parse(u)) =>
    url ? `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}` : u;
  return norm(a) === norm(b);
}
