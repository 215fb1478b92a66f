/**
 * The Enswitch API functions the simulator serves, each answering as its published page says:
 * authentication (401), role (402), the customer the login may see and the mailbox (404), rate plan
 * (403, where the page lists it), input (400, one entry per problem), then the change, or 201 and no
 * change with `validation=1`. Parameters a page does not list are ignored, as a switch does; values a
 * page does not restrict are accepted. The rules and their sources are tabled in ARCHITECTURE.md.
 */
import { Authenticator } from "./auth";
import { Role } from "./fixture";
import { SimulatorStore } from "./store";
import { Param, typeProblem } from "./table";
import { SimulatorOptions } from "./types";

/** What the API functions work with: the data, the logins, and the strict modes (see {@link SimulatorOptions}). */
export interface ApiContext extends Pick<SimulatorOptions, "pinRule"> {
  store: SimulatorStore;
  auth: Authenticator;
  updateValidation: boolean;
}

// The envelope: `{"responses":[{"code","key","message"}], "data"?}`, codes as strings, always sent
// with HTTP 200 (the outcome is in the body).

/** One entry of `responses`. */
interface ResponseEntry {
  code: string;
  key: string;
  message: string;
}

/** A whole answer. `data` is left out when there is none. */
export interface Envelope {
  responses: ResponseEntry[];
  data?: unknown;
}

/** A single-entry envelope. */
export function envelope(code: number, message: string, key = "", data?: unknown): Envelope {
  const responses = [{ code: String(code), key, message }];
  return data === undefined ? { responses } : { responses, data };
}

/** The messages the pages give for each code. */
const MESSAGES = {
  ok: "OK",
  validated: "Input passed validation.",
  unauthenticated: "The authentication details provided are invalid.",
  role: "Your role does not allow this.",
  ratePlan: "Your rate plan does not allow this.",
  invalidCustomer: "Invalid customer specified.",
} as const;

/** Decoded parameters, by name. */
type Params = Record<string, string>;
type Handler = (params: Params, ctx: ApiContext) => Envelope;

const ANY_ROLE: readonly Role[] = ["administrator", "user", "residential"];
const ADMIN: readonly Role[] = ["administrator"];

function entry(key: string, message: string): ResponseEntry {
  return { code: "400", key, message };
}

/** A 400 entry for each given field of `params` that is not of its documented type. */
function typeFailures(params: Params, table: Record<string, Param>): ResponseEntry[] {
  return Object.entries(table).flatMap(([key, param]) => {
    const problem = params[key] === undefined ? undefined : typeProblem(param.type, params[key]);
    return problem ? [entry(key, `Invalid ${key}: ${problem}.`)] : [];
  });
}

const VALIDATION: Record<string, Param> = { validation: { type: "flag", default: 0 } };

/** The PIN rule of the strict mode, if any; never echoes the PIN. */
function pinFailures(pin: string, ctx: ApiContext): ResponseEntry[] {
  const rule = ctx.pinRule;
  if (!rule || new RegExp(`^[0-9]{${rule.minLength},${rule.maxLength}}$`).test(pin)) return [];
  return [entry("pin", `Invalid pin: must be ${rule.minLength} to ${rule.maxLength} digits.`)];
}

/** 400 with every failure; else 201 for a dry run; else the change, then 204. */
function conclude(failures: ResponseEntry[], dryRun: boolean, act: () => void): Envelope {
  if (failures.length > 0) return { responses: failures };
  if (dryRun) return envelope(201, MESSAGES.validated);
  act();
  return envelope(204, MESSAGES.ok);
}

/**
 * A function behind the common preamble: login (401), role (402), the customer the login may see
 * (`customer` defaults to the login's; others only for a reseller administrator), then, for a function
 * on one mailbox (`verb` given), the mailbox, whose absence answers the same 404 as a customer out of
 * reach. create and list list no 404: for them a customer out of reach is invalid input. `body` gets
 * the customer and the mailbox named (`""` if none).
 */
function gated(
  roles: readonly Role[],
  verb: "view" | "update" | "delete" | undefined,
  body: (target: { customer: number; mailbox: string }, params: Params, ctx: ApiContext) => Envelope,
): Handler {
  return (params, ctx) => {
    const user = ctx.auth.authenticate(params);
    if (!user) return envelope(401, MESSAGES.unauthenticated);
    if (!roles.includes(user.role)) return envelope(402, MESSAGES.role);
    const { customer: raw = "" } = params;
    // An empty value is taken as the default ("customer of authentication user"), as for any field.
    const customer = raw === "" ? user.customer : /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
    const visible =
      (customer === user.customer ||
        (user.role === "administrator" && (user.customers ?? []).includes(customer))) &&
      ctx.store.customer(customer) !== undefined;
    const target = { customer, mailbox: params.mailbox ?? "" };
    const found = !verb || ctx.store.getMailbox(customer, target.mailbox) !== undefined;
    if (visible && found) return body(target, params, ctx);
    if (!verb) return envelope(400, MESSAGES.invalidCustomer, "customer");
    // The 404 of the mailbox pages, `verb` as each words it.
    return envelope(404, `The mailbox does not exist, or you do not have permission to ${verb} it.`);
  };
}

const create = gated(ADMIN, undefined, ({ customer, mailbox }, params, ctx) => {
  if (!ctx.store.allowsMailboxes(customer)) return envelope(403, MESSAGES.ratePlan);
  const failures = typeFailures(params, { ...ctx.store.params, ...VALIDATION });
  const { pin = "", copy_pin: copyPin = "" } = params;
  if (mailbox === "") failures.push(entry("mailbox", "Invalid mailbox: is required."));
  else if (ctx.store.getMailbox(customer, mailbox)) {
    failures.push(entry("mailbox", `Invalid mailbox: ${mailbox} already exists in customer ${customer}.`));
  }
  if (copyPin !== "" && !ctx.store.getMailbox(customer, copyPin)) {
    failures.push(
      entry("copy_pin", `Invalid copy_pin: there is no mailbox ${copyPin} in customer ${customer}.`),
    );
  } else if (copyPin === "") {
    if (pin === "") failures.push(entry("pin", "Invalid pin: is required unless copy_pin is specified."));
    else failures.push(...pinFailures(pin, ctx));
  }
  return conclude(failures, params.validation === "1", () =>
    ctx.store.putMailbox(customer, { ...params, mailbox }),
  );
});

const list = gated(ANY_ROLE, undefined, (t, _params, ctx) =>
  envelope(200, MESSAGES.ok, "", ctx.store.listMailboxes(t.customer)),
);

const get = gated(ANY_ROLE, "view", (t, _params, ctx) =>
  envelope(200, MESSAGES.ok, "", ctx.store.getMailbox(t.customer, t.mailbox)),
);

const update = gated(ANY_ROLE, "update", (t, params, ctx) => {
  const table = ctx.updateValidation ? { ...ctx.store.params, ...VALIDATION } : ctx.store.params;
  const failures = typeFailures(params, table);
  // `pin` on update is inferred from sibling update functions (the stored pages stop at `panel`).
  if (params.pin !== undefined) failures.push(...pinFailures(params.pin, ctx));
  const dryRun = ctx.updateValidation && params.validation === "1";
  // `copy_pin` is not an update parameter: ignored, never a PIN copy.
  const change = { ...params, mailbox: t.mailbox, copy_pin: undefined };
  return conclude(failures, dryRun, () => ctx.store.putMailbox(t.customer, change));
});

// No `validation` on this page: like any unknown parameter it is ignored, and the delete happens.
const remove = gated(ADMIN, "delete", (t, _params, ctx) =>
  conclude([], false, () => ctx.store.deleteMailbox(t.customer, t.mailbox)),
);

// Rows of the mailbox_destinations table: `{"mailbox": <destination>, "customer": <id>}`.
const destinationsList = gated(ANY_ROLE, "view", (t, _params, ctx) => {
  const rows = ctx.store
    .getDestinations(t.customer, t.mailbox)
    ?.map((d) => ({ mailbox: d, customer: t.customer }));
  return envelope(200, MESSAGES.ok, "", rows);
});

const destinationsSet = gated(ANY_ROLE, "update", (t, params, ctx) => {
  if (!ctx.store.allowsMailboxes(t.customer)) return envelope(403, MESSAGES.ratePlan);
  const wanted = [...new Set((params.destinations ?? "").split(",").filter((d) => d !== ""))];
  const failures = typeFailures(params, VALIDATION);
  for (const d of wanted.filter((d) => !ctx.store.getMailbox(t.customer, d))) {
    failures.push(
      entry("destinations", `Invalid destinations: there is no mailbox ${d} in customer ${t.customer}.`),
    );
  }
  return conclude(failures, params.validation === "1", () =>
    ctx.store.setDestinations(t.customer, t.mailbox, wanted),
  );
});

const login: Handler = (params, ctx) => {
  const user = ctx.auth.login(params.auth_username, params.auth_password);
  if (!user) return envelope(401, MESSAGES.unauthenticated);
  const data = { username: user.username, customer: user.customer, role: user.role };
  const token = params.token === "1" ? ctx.auth.issueToken(user) : {};
  return envelope(200, MESSAGES.ok, "", { ...data, ...token });
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

/** Calls a function; an unknown one answers 404 as Enswitch does, never throws for bad input. */
export function callApi(fn: string, params: Params, ctx: ApiContext): Envelope {
  const handler = Object.prototype.hasOwnProperty.call(HANDLERS, fn) ? HANDLERS[fn] : undefined;
  if (!handler) return envelope(404, "Function not found.");
  return handler(params, ctx);
}
