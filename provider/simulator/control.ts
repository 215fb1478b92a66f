/**
 * The control API under `/_simulator/`, for tests that run the simulator as a child process
 * (`enswitch simulator`). JSON in, JSON out, no authentication (the simulator binds 127.0.0.1 only).
 * Never subject to faults and never recorded.
 */
import { FaultSchedule, parseFaultPlan } from "./faults";
import { MailboxRowInput, SimulatorStore } from "./store";
import { RecordedRequest } from "./types";

/** What the control API works on. */
export interface ControlTarget {
  faults: FaultSchedule;
  requests: RecordedRequest[];
  counts(): Record<string, number>;
  resetLog(): void;
  store: SimulatorStore;
}

/** An answer of the control API. `body` undefined means 204. */
export interface ControlAnswer {
  status: number;
  body?: unknown;
}

function error(status: number, message: string): ControlAnswer {
  return { status, body: { error: message } };
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: body === "" ? {} : (JSON.parse(body) as unknown) };
  } catch {
    return { ok: false };
  }
}

function customerId(text: string | undefined): number | undefined {
  return text !== undefined && /^[0-9]{1,9}$/.test(text) ? Number(text) : undefined;
}

/** Handles `method path` (path without `/_simulator/`, without query) with a raw JSON body. */
export function handleControl(
  method: string,
  path: string,
  body: string,
  target: ControlTarget,
): ControlAnswer {
  const parts = path
    .split("/")
    .filter((p) => p !== "")
    .map(decodeURIComponent);
  const [head, ...rest] = parts;
  const json = parseJson(body);
  if (!json.ok) return error(400, "The body is not valid JSON.");

  if (head === "faults" && rest.length === 0) {
    if (method === "GET") return { status: 200, body: target.faults.current() };
    if (method === "DELETE") {
      target.faults.clear();
      return { status: 204 };
    }
    if (method === "POST" || method === "PUT") {
      const plan = parseFaultPlan(json.value);
      if (!plan.ok) return error(400, `Invalid fault plan: ${plan.error}`);
      target.faults.set(plan.plan);
      return { status: 204 };
    }
  }
  if (head === "requests" && rest.length === 0 && method === "GET")
    return { status: 200, body: target.requests };
  if (head === "counts" && rest.length === 0 && method === "GET")
    return { status: 200, body: target.counts() };
  if (head === "reset-log" && rest.length === 0 && method === "POST") {
    target.resetLog();
    return { status: 204 };
  }
  if (head === "clear" && rest.length === 0 && method === "POST") {
    target.store.clear();
    return { status: 204 };
  }
  if (head === "rate-plans" && rest.length === 1 && method === "PUT") {
    const customer = customerId(rest[0]);
    const value = json.value as { allowsMailboxes?: unknown };
    if (customer === undefined || typeof value.allowsMailboxes !== "boolean") {
      return error(400, 'Use PUT /_simulator/rate-plans/<customer> with {"allowsMailboxes": true|false}.');
    }
    target.store.setRatePlan(customer, value.allowsMailboxes);
    return { status: 204 };
  }
  if (head === "mailboxes") return mailboxes(method, rest, json.value, target.store);
  return error(404, `No control endpoint ${method} /_simulator/${path}.`);
}

function mailboxes(method: string, rest: string[], value: unknown, store: SimulatorStore): ControlAnswer {
  const customer = customerId(rest[0]);
  if (customer === undefined) return error(400, "Use /_simulator/mailboxes/<customer>[/<mailbox>].");
  if (rest.length === 1 && method === "GET") return { status: 200, body: store.listMailboxes(customer) };
  const mailbox = rest[1];
  if (mailbox === undefined || mailbox === "")
    return error(400, "Name the mailbox: /_simulator/mailboxes/<c>/<m>.");
  if (rest.length === 2) {
    if (method === "GET") {
      const row = store.getMailbox(customer, mailbox);
      if (!row) return error(404, "No such mailbox.");
      return { status: 200, body: { ...row, destinations: store.getDestinations(customer, mailbox) } };
    }
    if (method === "PUT") {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return error(400, "The body must be a JSON object of wire-named fields.");
      }
      const row = { ...(value as Record<string, unknown>), mailbox } as MailboxRowInput;
      store.putMailbox(customer, row);
      const destinations = (value as { destinations?: unknown }).destinations;
      if (Array.isArray(destinations)) store.setDestinations(customer, mailbox, destinations.map(String));
      return { status: 200, body: store.getMailbox(customer, mailbox) };
    }
    if (method === "DELETE") {
      return store.deleteMailbox(customer, mailbox) ? { status: 204 } : error(404, "No such mailbox.");
    }
  }
  if (rest.length === 3 && rest[2] === "pin-check" && method === "POST") {
    const pin = (value as { pin?: unknown }).pin;
    if (typeof pin !== "string") return error(400, 'Send {"pin": "<digits>"}.');
    return { status: 200, body: { matches: store.pinMatches(customer, mailbox, pin) } };
  }
  return error(404, `No control endpoint ${method} /_simulator/mailboxes/${rest.join("/")}.`);
}
