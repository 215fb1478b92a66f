/**
 * The control API under `/_simulator/`, for tests that run the simulator as a child process
 * (`enswitch simulator`). JSON in, JSON out, no authentication (the simulator binds 127.0.0.1 only).
 * Never subject to faults and never recorded.
 */
import { parseFaultPlan } from "./faults";
import { MailboxRowInput, SimulatorStore } from "./store";
import { Simulator } from "./types";

/** An answer of the control API. `body` undefined means 204. */
interface ControlAnswer {
  status: number;
  body?: unknown;
}

const done: ControlAnswer = { status: 204 };

function error(status: number, message: string): ControlAnswer {
  return { status, body: { error: message } };
}

function customerId(text: string | undefined): number | undefined {
  return text !== undefined && /^[0-9]{1,9}$/.test(text) ? Number(text) : undefined;
}

/** Handles `method path` (path without `/_simulator/`, without query) with a raw JSON body. */
export function handleControl(method: string, path: string, body: string, sim: Simulator): ControlAnswer {
  const [head, ...rest] = path.split("/").filter(Boolean).map(decodeURIComponent);
  let value: unknown;
  try {
    value = body === "" ? {} : (JSON.parse(body) as unknown);
  } catch {
    return error(400, "The body is not valid JSON.");
  }
  const route = `${method} ${head ?? ""}${rest.length > 0 && head !== "mailboxes" ? "/*" : ""}`;
  switch (route) {
    case "GET faults":
      return { status: 200, body: sim.faults.current() };
    case "DELETE faults":
      sim.faults.clear();
      return done;
    case "POST faults":
    case "PUT faults": {
      const plan = parseFaultPlan(value);
      if (!plan.ok) return error(400, `Invalid fault plan: ${plan.error}`);
      sim.faults.set(plan.plan);
      return done;
    }
    case "GET requests":
      return { status: 200, body: sim.requests };
    case "GET counts":
      return { status: 200, body: sim.counts() };
    case "POST reset-log":
      sim.resetLog();
      return done;
    case "POST clear":
      sim.store.clear();
      return done;
    case "PUT rate-plans/*": {
      const customer = customerId(rest[0]);
      const allows = (value as { allowsMailboxes?: unknown }).allowsMailboxes;
      if (rest.length !== 1 || customer === undefined || typeof allows !== "boolean") {
        return error(400, 'Use PUT /_simulator/rate-plans/<customer> with {"allowsMailboxes": true|false}.');
      }
      sim.store.setRatePlan(customer, allows);
      return done;
    }
  }
  if (head === "mailboxes") return mailboxes(method, rest, value, sim.store);
  return error(404, `No control endpoint ${method} /_simulator/${path}.`);
}

function mailboxes(method: string, rest: string[], value: unknown, store: SimulatorStore): ControlAnswer {
  const customer = customerId(rest[0]);
  if (customer === undefined) return error(400, "Use /_simulator/mailboxes/<customer>[/<mailbox>].");
  if (rest.length === 1 && method === "GET") return { status: 200, body: store.listMailboxes(customer) };
  const mailbox = rest[1];
  if (!mailbox) return error(400, "Name the mailbox: /_simulator/mailboxes/<c>/<m>.");
  const route = `${method} ${rest.slice(2).join("/")}`;
  if (route === "GET ") {
    const row = store.getMailbox(customer, mailbox);
    if (!row) return error(404, "No such mailbox.");
    return { status: 200, body: { ...row, destinations: store.getDestinations(customer, mailbox) } };
  }
  if (route === "PUT ") {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return error(400, "The body must be a JSON object of API-named fields.");
    }
    store.putMailbox(customer, { ...(value as Record<string, unknown>), mailbox } as MailboxRowInput);
    const destinations = (value as { destinations?: unknown }).destinations;
    if (Array.isArray(destinations)) store.setDestinations(customer, mailbox, destinations.map(String));
    return { status: 200, body: store.getMailbox(customer, mailbox) };
  }
  if (route === "DELETE ") {
    return store.deleteMailbox(customer, mailbox) ? done : error(404, "No such mailbox.");
  }
  if (route === "POST pin-check") {
    const pin = (value as { pin?: unknown }).pin;
    if (typeof pin !== "string") return error(400, 'Send {"pin": "<digits>"}.');
    return { status: 200, body: { matches: store.pinMatches(customer, mailbox, pin) } };
  }
  return error(404, `No control endpoint ${method} /_simulator/mailboxes/${rest.join("/")}.`);
}
