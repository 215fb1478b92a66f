/** The public types of the simulator (see `index.ts` for `startSimulator`). */
import { FaultPlan } from "./faults";
import { Fixture } from "./fixture";
import { SimulatorStore } from "./store";

/** How to start a simulator. Every option has a default. */
export interface SimulatorOptions {
  /** Port on 127.0.0.1; 0 or omitted picks a free one. */
  port?: number;
  /** JSON state file: loaded at start if present, replaced atomically before a change is answered. */
  stateFile?: string;
  /** Customers, people and logins. Default: {@link defaultFixture}. */
  fixture?: Fixture;
  /**
   * Strict mode: a PIN rule of `minLength` to `maxLength` digits on create and update, as a real switch
   * may have (no page states one). Default: none, any PIN is accepted.
   */
  pinRule?: { minLength: number; maxLength: number };
  /**
   * Whether `mailboxes/update` knows `validation` (inferred from sibling update functions; not on any
   * readable page). `false` behaves as a switch without it: the parameter is ignored and the update
   * acts, answering 204. Default `true`.
   */
  updateValidation?: boolean;
  /** The Enswitch version to behave as, e.g. "3.13" or "4.4". Default "3.14"; 4.x adds `notify_for` all/text. */
  enswitchVersion?: string;
  /** Lifetime of an `auth_token` from `user/login`. Default 3600. */
  tokenTtlSeconds?: number;
  /** Faults from the start. */
  faults?: FaultPlan;
  /** Access log, one line per API request; never contains credentials, PINs or parameters. */
  log?: (line: string) => void;
  /** The clock, in epoch milliseconds, for token expiry. Default `Date.now`; tests may move time. */
  now?: () => number;
}

/** One API request as it arrived, and how it was answered. Test data: it holds what was sent. */
export interface RecordedRequest {
  method: string;
  /** The request target as received, query string included. */
  rawUrl: string;
  rawBody: string;
  /** The function, e.g. `mailboxes/create` (no trailing slash). */
  fn: string;
  /** Decoded parameters, query and body together (first occurrence of a name wins). */
  params: Record<string, string>;
  /** The envelope's first code, `""` when no envelope was sent (fault). */
  code: string;
  /** The HTTP status sent, 0 when none (reset, hang). */
  httpStatus: number;
  /** The injected fault, if any: `5xx`, `429`, `reset` or `hang`. */
  fault?: string;
}

/** A running simulator. */
export interface Simulator {
  /** Base URL, `http://127.0.0.1:<port>/api/json/`. */
  readonly url: string;
  readonly port: number;
  /** Run-time fault control. */
  readonly faults: { set(plan: FaultPlan): void; clear(): void; current(): FaultPlan };
  /** Every API request as received, in order (since the last {@link resetLog}). */
  readonly requests: RecordedRequest[];
  /** Requests per function, e.g. `{"mailboxes/create": 3}`. */
  counts(): Record<string, number>;
  /** Forgets the recorded requests. */
  resetLog(): void;
  /** Direct access to the data, "behind Pulumi's back". */
  readonly store: SimulatorStore;
  /** Stops listening and destroys every connection, hung ones included. */
  close(): Promise<void>;
}
