/**
 * The Enswitch API functions the simulator serves: `user/login` and the mailbox functions, with
 * Enswitch's order of checks: authentication (401), role (402), customer scoping (404, the same
 * answer as a missing mailbox), rate plan (403), input (400, one entry per problem), existence (404),
 * then the change, or 201 and no change with `validation=1`.
 *
 * Input rules come from the shared mailbox schema (`parseWire`), plus the rules only a switch can
 * check: duplicates, `copy_pin` targets, owners, the PIN length rule.
 */
import { parseWire, WireFailure } from "../mailbox/wire";
import { Authenticator } from "./auth";
import { Envelope, MESSAGES, ResponseEntry, envelope } from "./envelope";
import { Fixture, FixtureUser, Role } from "./fixture";
import { SimulatorStore } from "./store";

/** What the API functions work with. */
export interface ApiContext {
  store: SimulatorStore;
  auth: Authenticator;
  fixture: Fixture;
  pinRule: { minLength: number; maxLength: number };
  enswitchVersion: string;
}

type Handler = (params: Record<string, string>, ctx: ApiContext) => Envelope;

const ALL_ROLES: readonly Role[] = ["administrator", "user", "residential"];
const ADMIN_ONLY: readonly Role[] = ["administrator"];

/** Parameters every call may carry that are not mailbox fields. */
const CALL_PARAMS = new Set(["auth_username", "auth_password", "auth_token", "validation"]);

/** The result of the common checks: who, which customer, dry run or not; or the answer to give. */
type Gate = { user: FixtureUser; customer: number; validation: boolean } | { answer: Envelope };

function gate(params: Record<string, string>, ctx: ApiContext, roles: readonly Role[]): Gate {
  const user = ctx.auth.authenticate(params);
  if (!user) return { answer: envelope(401, MESSAGES.unauthenticated) };
  if (!roles.includes(user.role)) return { answer: envelope(402, MESSAGES.role) };

  let customer = user.customer;
  const raw = params.customer;
  if (raw !== undefined && raw !== "") {
    if (!/^[0-9]{1,9}$/.test(raw) || Number(raw) === 0) {
      return { answer: envelope(400, "Invalid customer: must be a positive customer ID.", "customer") };
    }
    customer = Number(raw);
  }
  const mayAct =
    customer === user.customer ||
    (user.role === "administrator" && (user.customers ?? []).includes(customer));
  if (!mayAct || !ctx.store.customer(customer)) return { answer: envelope(404, MESSAGES.notFound) };
  if (!ctx.store.allowsMailboxes(customer)) return { answer: envelope(403, MESSAGES.ratePlan) };

  const validation = params.validation ?? "0";
  if (validation !== "0" && validation !== "1" && validation !== "") {
    return { answer: envelope(400, "Invalid validation: must be 1 or 0.", "validation") };
  }
  return { user, customer, validation: validation === "1" };
}

function failuresEnvelope(failures: ResponseEntry[]): Envelope {
  return { responses: failures };
}

function entry(key: string, message: string): ResponseEntry {
  return { code: "400", key, message };
}

/** The mailbox fields of a call: everything but authentication and `validation`. */
function fieldParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(params)) if (!CALL_PARAMS.has(key)) out[key] = value;
  // An empty customer means "mine", as in the gate; it is not a field value to validate.
  if (out.customer === "") delete out.customer;
  return out;
}

/**
 * Every schema failure, not only the first stage's: `parseWire` stops after type errors (flags,
 * integers, unknown names), so parse again without the offending keys to find the rest.
 */
function schemaFailures(
  fields: Record<string, string>,
  mode: "create" | "update",
  ctx: ApiContext,
): WireFailure[] {
  const options = { enswitchVersion: ctx.enswitchVersion };
  const first =
    mode === "create" ? parseWire(fields, "create", options) : parseWire(fields, "update", options);
  if (first.ok) return [];
  const bad = new Set(first.failures.map((f) => f.key));
  const rest: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) if (!bad.has(key)) rest[key] = value;
  const second = mode === "create" ? parseWire(rest, "create", options) : parseWire(rest, "update", options);
  const more = second.ok ? [] : second.failures.filter((f) => !bad.has(f.key));
  return [...first.failures, ...more];
}

/** The switch-side rules on fields the schema accepted. */
function switchRules(
  fields: Record<string, string>,
  customer: number,
  failed: Set<string>,
  ctx: ApiContext,
): ResponseEntry[] {
  const out: ResponseEntry[] = [];
  const { minLength, maxLength } = ctx.pinRule;
  const pin = fields.pin;
  if (pin !== undefined && !failed.has("pin") && !(pin.length >= minLength && pin.length <= maxLength)) {
    out.push(entry("pin", `Invalid pin: must be ${minLength} to ${maxLength} digits.`));
  }
  const owner = fields.owner;
  if (owner !== undefined && !failed.has("owner") && Number(owner) !== 0) {
    const people = ctx.store.customer(customer)?.people ?? [];
    if (!people.some((p) => p.id === Number(owner))) {
      out.push(entry("owner", `Invalid owner: ${Number(owner)} is not a person of customer ${customer}.`));
    }
  }
  return out;
}

/**
 * `timezone=""` means "the customer's zone" (unset), which the schema (a zone name or nothing) cannot
 * express; the store unsets the zone when it sees `""`.
 */
function withoutEmptyZone(fields: Record<string, string>): Record<string, string> {
  if (fields.timezone !== "") return fields;
  const rest = { ...fields };
  delete rest.timezone;
  return rest;
}

function requireMailbox(params: Record<string, string>): string | Envelope {
  const mailbox = params.mailbox;
  if (mailbox === undefined || mailbox === "") {
    return envelope(400, "Invalid mailbox: is required.", "mailbox");
  }
  return mailbox;
}

const create: Handler = (params, ctx) => {
  const g = gate(params, ctx, ADMIN_ONLY);
  if ("answer" in g) return g.answer;
  const fields = fieldParams(params);
  const failures: ResponseEntry[] = schemaFailures(withoutEmptyZone(fields), "create", ctx).map((f) =>
    entry(f.key, f.message),
  );
  const failed = new Set(failures.map((f) => f.key));
  failures.push(...switchRules(fields, g.customer, failed, ctx));
  const mailbox = fields.mailbox;
  if (mailbox !== undefined && !failed.has("mailbox") && ctx.store.getMailbox(g.customer, mailbox)) {
    failures.push(entry("mailbox", `Invalid mailbox: mailbox ${mailbox} already exists.`));
  }
  const copyPin = fields.copy_pin ?? "";
  if (copyPin !== "" && !failed.has("copy_pin") && !ctx.store.getMailbox(g.customer, copyPin)) {
    failures.push(
      entry(
        "copy_pin",
        `Invalid copy_pin: there is no mailbox ${copyPin} in customer ${g.customer} to copy from.`,
      ),
    );
  }
  if (failures.length > 0) return failuresEnvelope(failures);
  if (g.validation) return envelope(201, MESSAGES.validated);
  ctx.store.create(
    g.customer,
    fields,
    copyPin !== "" ? { copyFrom: copyPin } : { pin: fields.pin as string },
  );
  return envelope(204, MESSAGES.ok);
};

const get: Handler = (params, ctx) => {
  const g = gate(params, ctx, ALL_ROLES);
  if ("answer" in g) return g.answer;
  const mailbox = requireMailbox(params);
  if (typeof mailbox !== "string") return mailbox;
  const row = ctx.store.getMailbox(g.customer, mailbox);
  return row ? envelope(200, MESSAGES.ok, "", row) : envelope(404, MESSAGES.notFound);
};

const list: Handler = (params, ctx) => {
  const g = gate(params, ctx, ALL_ROLES);
  if ("answer" in g) return g.answer;
  return envelope(200, MESSAGES.ok, "", ctx.store.listMailboxes(g.customer));
};

const update: Handler = (params, ctx) => {
  const g = gate(params, ctx, ALL_ROLES);
  if ("answer" in g) return g.answer;
  const fields = fieldParams(params);
  const failures: ResponseEntry[] = [];
  if ("copy_pin" in fields) {
    failures.push(
      entry("copy_pin", "Invalid copy_pin: only accepted by mailboxes/create; send pin to change the PIN."),
    );
    delete fields.copy_pin;
  }
  failures.push(
    ...schemaFailures(withoutEmptyZone(fields), "update", ctx).map((f) => entry(f.key, f.message)),
  );
  const failed = new Set(failures.map((f) => f.key));
  if (fields.mailbox === undefined || fields.mailbox === "") {
    failures.push(entry("mailbox", "Invalid mailbox: is required."));
  }
  failures.push(...switchRules(fields, g.customer, failed, ctx));
  if (failures.length > 0) return failuresEnvelope(failures);
  const mailbox = fields.mailbox as string;
  if (!ctx.store.getMailbox(g.customer, mailbox)) return envelope(404, MESSAGES.notFound);
  if (g.validation) return envelope(201, MESSAGES.validated);
  const changes = { ...fields };
  delete changes.pin;
  ctx.store.update(g.customer, mailbox, changes, fields.pin);
  return envelope(204, MESSAGES.ok);
};

const remove: Handler = (params, ctx) => {
  const g = gate(params, ctx, ADMIN_ONLY);
  if ("answer" in g) return g.answer;
  const mailbox = requireMailbox(params);
  if (typeof mailbox !== "string") return mailbox;
  if (!ctx.store.getMailbox(g.customer, mailbox)) return envelope(404, MESSAGES.notFound);
  if (g.validation) return envelope(201, MESSAGES.validated);
  ctx.store.deleteMailbox(g.customer, mailbox);
  return envelope(204, MESSAGES.ok);
};

const destinationsList: Handler = (params, ctx) => {
  const g = gate(params, ctx, ALL_ROLES);
  if ("answer" in g) return g.answer;
  const mailbox = requireMailbox(params);
  if (typeof mailbox !== "string") return mailbox;
  const destinations = ctx.store.getDestinations(g.customer, mailbox);
  return destinations ? envelope(200, MESSAGES.ok, "", destinations) : envelope(404, MESSAGES.notFound);
};

const destinationsSet: Handler = (params, ctx) => {
  const g = gate(params, ctx, ALL_ROLES);
  if ("answer" in g) return g.answer;
  const mailbox = requireMailbox(params);
  if (typeof mailbox !== "string") return mailbox;
  const raw = params.destinations;
  if (raw === undefined) {
    return envelope(
      400,
      'Invalid destinations: is required, comma-separated mailbox numbers ("" for none).',
      "destinations",
    );
  }
  if (!ctx.store.getMailbox(g.customer, mailbox)) return envelope(404, MESSAGES.notFound);
  const wanted = [
    ...new Set(
      raw
        .split(",")
        .map((d) => d.trim())
        .filter((d) => d !== ""),
    ),
  ];
  const failures = wanted
    .filter((d) => !ctx.store.getMailbox(g.customer, d))
    .map((d) =>
      entry("destinations", `Invalid destinations: there is no mailbox ${d} in customer ${g.customer}.`),
    );
  if (failures.length > 0) return failuresEnvelope(failures);
  if (g.validation) return envelope(201, MESSAGES.validated);
  ctx.store.setDestinations(g.customer, mailbox, wanted);
  return envelope(204, MESSAGES.ok);
};

const login: Handler = (params, ctx) => {
  const user = ctx.auth.login(params.auth_username, params.auth_password);
  if (!user) return envelope(401, MESSAGES.unauthenticated);
  if (params.token !== "1") return envelope(204, MESSAGES.ok);
  const { token, expires } = ctx.auth.issueToken(user);
  return envelope(200, MESSAGES.ok, "", { auth_token: token, expires });
};

/** The functions served, by name (`category/action`). */
const HANDLERS: Record<string, Handler> = {
  "user/login": login,
  "mailboxes/create": create,
  "mailboxes/get": get,
  "mailboxes/list": list,
  "mailboxes/update": update,
  "mailboxes/delete": remove,
  "mailboxes/destinations/list": destinationsList,
  "mailboxes/destinations/set": destinationsSet,
};

/** The names of the functions the simulator serves. */
export function apiFunctions(): string[] {
  return Object.keys(HANDLERS);
}

/** Calls a function; an unknown one answers 404 as Enswitch does, never throws for bad input. */
export function callApi(fn: string, params: Record<string, string>, ctx: ApiContext): Envelope {
  const handler = Object.prototype.hasOwnProperty.call(HANDLERS, fn) ? HANDLERS[fn] : undefined;
  if (!handler) return envelope(404, "Function not found.");
  return handler(params, ctx);
}
