/**
 * The Enswitch JSON API client: mailboxes and their destinations over the shared keep-alive pool,
 * with typed errors, timeouts, and retries where they are safe (see retry.ts for the failure kinds;
 * each function says whether it is safe to repeat). No Pulumi here.
 *
 * - create is repeated only when nothing reached the switch (refused connection, 429). A lost answer
 *   (timeout, reset, 5xx) is settled by `mailboxes/get` first, even with `retries: 0`: no mailbox →
 *   sent again; the row exactly as sent → taken as created, and said so; other settings →
 *   {@link EnswitchConflictError}, never claimed; the look failing → "outcome unknown, check". A
 *   create refused as taken (after a crash, the engine sends it again) is settled the same way.
 * - After {@link DEFAULT_SETTINGS}.consecutiveTimeouts timed-out attempts in a row, every later call
 *   of the client fails at once with the same message: a switch that never answers costs one wait.
 *
 * @example
 * ```ts
 * const client = new EnswitchClient({ url: "https://switch.example.com/api/json/", username, password });
 * await client.createMailbox({ mailbox: "1234", pin: "567890" }, { validation: true }); // dry run
 * ```
 */
import { EnswitchAnswer, readAnswer } from "./envelope";
import {
  EnswitchAuthenticationError,
  EnswitchConfigurationError,
  EnswitchConflictError,
  EnswitchError,
  EnswitchNotFoundError,
  EnswitchServerError,
  EnswitchTimeoutError,
  EnswitchTransportError,
  EnswitchValidationError,
  ErrorClass,
} from "./errors";
import { redactor } from "./redact";
import { failureOf, isReadOnlyFunction, isRetryable, retryDelay } from "./retry";
import { Semaphore } from "./semaphore";
import { ConnectionSettings, DEFAULT_SETTINGS, ResolvedSettings, resolveSettings } from "./settings";
import { TokenSession } from "./token";
import { sendAttempt } from "./transport";

/** Options of {@link EnswitchClient.call}; the writes take only `validation`. */
export interface CallOptions {
  /** Send `validation=1`: the switch checks everything, answers 201 and changes nothing. */
  validation?: boolean;
  /** Whether the call may be repeated after its answer was lost. Default: reads, login, `validation=1`. */
  safeToRetry?: boolean;
}

/** Options of every write. */
export type WriteOptions = Pick<CallOptions, "validation">;

/** Counters of one client, for reports and tests. */
export interface ClientStats {
  /** HTTP attempts per function (retries and logins included). */
  calls: Record<string, number>;
  /** Attempts that were repeats of a failed one. */
  retries: number;
  /** Creates whose answer was lost (or that a crash interrupted) and that `mailboxes/get` showed done. */
  lookBeforeRetry: number;
}

/** Parameters that hold secrets: redacted from every error text. */
const SECRET_PARAMS = ["pin", "password", "auth_password", "auth_token"];
const AUTH_PARAMS = ["auth_username", "auth_password", "auth_token"];
/** Parameters a row never shows back: left out when a row is compared with a create. */
const WRITE_ONLY = new Set(["pin", "copy_pin"]);
const FUNCTION_NAME = /^[a-z][a-z0-9_]*(\/[a-z][a-z0-9_]*)+$/;

/** What only the client's own calls set. */
interface ExecuteOptions extends CallOptions {
  /** Authenticate with username and password even in token mode (the login itself). */
  credentials?: boolean;
  /** Settles a lost answer (create): the answer if done, nothing to resend; throws if `last` or unsure. */
  settle?: (lost: EnswitchError, last: boolean) => Promise<EnswitchAnswer | void>;
}

/** API parameters: snake_case names, string values. */
type Params = Record<string, string>;

/** The sent parameters a row does not show as sent (write-only ones aside): `[]` is "exactly as sent". */
export function differences(sent: Params, row: Record<string, unknown>): string[] {
  const shown = (v: unknown) =>
    typeof v === "boolean" ? (v ? "1" : "0") : typeof v === "number" || typeof v === "string" ? String(v) : v;
  return Object.keys(sent).filter((key) => !WRITE_ONLY.has(key) && shown(row[key]) !== sent[key]);
}

function withCustomer(params: Params, customer: number | undefined): Params {
  return customer === undefined ? params : { ...params, customer: String(customer) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A client for one switch and one login. Cheap to build; connection pools are shared per process. */
export class EnswitchClient {
  private readonly settings: ResolvedSettings;
  private readonly limiter: Semaphore;
  private readonly session?: TokenSession;
  private readonly tokens = new Set<string>();
  private readonly counters: ClientStats = { calls: {}, retries: 0, lookBeforeRetry: 0 };
  /** Timed-out attempts in a row; at `consecutiveTimeouts` the circuit opens for good. */
  private timeouts = 0;
  private circuit?: string;

  /** @throws EnswitchConfigurationError when the settings are unusable (nothing is sent). */
  constructor(settings: ConnectionSettings) {
    this.settings = resolveSettings(settings);
    this.limiter = new Semaphore(this.settings.maxConcurrency);
    if (this.settings.useToken) this.session = new TokenSession(() => this.login());
  }

  /**
   * Calls any API function with wire-level parameters (snake_case names, string values). Credentials
   * are added here. Resolves with the answer on 200/201/204; throws a typed error otherwise.
   */
  call(fn: string, params: Params, options: CallOptions = {}): Promise<EnswitchAnswer> {
    return this.execute(fn, params, options);
  }

  /**
   * `mailboxes/create`. With `validation`, a dry run. A create whose answer was lost, or refused as
   * taken, is settled with `mailboxes/get` and a comparison of the row with `params` (see the module
   * documentation). Resolves with a sentence for the user (no value in it but the mailbox number) when
   * the create was settled that way, `undefined` otherwise.
   */
  async createMailbox(params: Params, options: WriteOptions = {}): Promise<string | undefined> {
    const fn = "mailboxes/create";
    if (options.validation) return void (await this.call(fn, params, { validation: true }));
    const where = `mailbox ${params.mailbox}${params.customer ? ` in customer ${params.customer}` : ""}`;
    let note: string | undefined;
    const claim = (row: Record<string, unknown>, cause: string, code: string): EnswitchAnswer => {
      const differ = differences(params, row);
      if (differ.length > 0) {
        const said = `${cause}, and ${where} exists with other settings (${differ.join(", ")}), so it is not taken as created.`;
        const hint = `If it is yours, add \`adopt: true\` to its Mailbox arguments (it is then updated to the declared settings); otherwise choose another number.`;
        throw new EnswitchConflictError(said, { fn, code, key: "mailbox", hint });
      }
      this.counters.lookBeforeRetry++;
      note = `${fn}: ${cause}; mailboxes/get shows ${where} exactly as sent, so it is taken as created (its PIN cannot be read back).`;
      return { code: "204", responses: [] };
    };
    const settle = async (lost: EnswitchError, last: boolean) => {
      const row = await this.findRow(params).catch((lookError: unknown) => {
        const looked =
          lookError instanceof EnswitchError ? `${lookError.name} (${lookError.code})` : "an error";
        const hint = `The mailbox may or may not exist now. Check with mailboxes/get (or \`pulumi refresh\`), then adopt it or run the deployment again.`;
        throw this.relabel(lost, `mailboxes/get then failed with ${looked}`, hint, lookError);
      });
      if (row) return claim(row, `the answer was lost (${lost.code})`, lost.code);
      const safe = "Nothing was created; it is safe to run the deployment again.";
      if (last) throw this.relabel(lost, "mailboxes/get shows the mailbox was not created", safe);
    };
    try {
      await this.execute(fn, params, { safeToRetry: false, settle });
    } catch (error) {
      // After a crash the engine sends the create again, and the switch refuses the number it holds.
      if (!(error instanceof EnswitchValidationError) || error.key !== "mailbox") throw error;
      const row = await this.findRow(params).catch(() => undefined);
      if (!row || differences(params, row).length > 0) throw error;
      claim(row, "the switch refused the number as taken (a create interrupted earlier?)", error.code);
    }
    if (note) this.log(note);
    return note;
  }

  /** `mailboxes/get`: the mailbox's fields as the switch returns them. 404 → {@link EnswitchNotFoundError}. */
  async getMailbox(mailbox: string, customer?: number): Promise<Record<string, unknown>> {
    const answer = await this.call("mailboxes/get", withCustomer({ mailbox }, customer));
    const row = Array.isArray(answer.data) && answer.data.length === 1 ? answer.data[0] : answer.data;
    if (!isRecord(row)) throw this.noData("mailboxes/get", answer, "the mailbox's fields");
    return row;
  }

  /** The row of `params.mailbox` (in `params.customer`), or `undefined` on 404. */
  private async findRow(params: Params): Promise<Record<string, unknown> | undefined> {
    if (!params.mailbox) return undefined; // a create without one made nothing
    const customer = params.customer === undefined ? undefined : Number(params.customer);
    return this.getMailbox(params.mailbox, customer).catch((error: unknown) => {
      if (error instanceof EnswitchNotFoundError) return undefined;
      throw error;
    });
  }

  /** `mailboxes/list`: every mailbox row of the customer (the login's own customer by default). */
  async listMailboxes(customer?: number): Promise<Record<string, unknown>[]> {
    const answer = await this.call("mailboxes/list", withCustomer({}, customer));
    const data = answer.data ?? [];
    const rows: unknown = isRecord(data) ? Object.values(data) : data;
    if (!Array.isArray(rows) || !rows.every(isRecord)) {
      throw this.noData("mailboxes/list", answer, "an array of mailbox rows");
    }
    return rows;
  }

  /** `mailboxes/update`: only the given fields change; retried when its answer is lost (it is idempotent). */
  async updateMailbox(mailbox: string, customer: number | undefined, params: Params, options?: WriteOptions) {
    const wire = withCustomer({ ...params, mailbox }, customer);
    await this.call("mailboxes/update", wire, { ...options, safeToRetry: true });
  }

  /** `mailboxes/delete`. 404 → {@link EnswitchNotFoundError} (also after a retry whose first attempt succeeded). */
  async deleteMailbox(mailbox: string, customer?: number): Promise<void> {
    await this.call("mailboxes/delete", withCustomer({ mailbox }, customer), { safeToRetry: true });
  }

  /** `mailboxes/destinations/list`: the mailbox numbers messages are copied to. */
  async listDestinations(mailbox: string, customer?: number): Promise<string[]> {
    const fn = "mailboxes/destinations/list";
    const answer = await this.call(fn, withCustomer({ mailbox }, customer));
    const data = answer.data ?? "";
    // A comma-separated string, or an array of numbers or of rows (`mailbox_destinations`).
    const items: unknown[] = typeof data === "string" ? data.split(",") : Array.isArray(data) ? data : [data];
    return items.flatMap((item) => {
      const value = isRecord(item) ? (item.destination ?? item.mailbox ?? item.number) : item;
      if (typeof value === "number" || typeof value === "string") return String(value).trim() || [];
      throw this.noData(fn, answer, "a list of destinations");
    });
  }

  /** `mailboxes/destinations/set`: replaces the whole set (idempotent, so retried like a read). */
  async setDestinations(mailbox: string, customer: number | undefined, to: string[], options?: WriteOptions) {
    const wire = withCustomer({ mailbox, destinations: to.join(",") }, customer);
    await this.call("mailboxes/destinations/set", wire, { ...options, safeToRetry: true });
  }

  /** Counters since this client was built. */
  stats(): ClientStats {
    return { ...this.counters, calls: { ...this.counters.calls } };
  }

  private async execute(fn: string, params: Params, options: ExecuteOptions): Promise<EnswitchAnswer> {
    const clash = AUTH_PARAMS.find((name) => name in params);
    const refusal = !FUNCTION_NAME.test(fn)
      ? `"${fn}" is not an API function name (like mailboxes/get).`
      : clash && `parameter ${clash} is not allowed: the client adds authentication itself.`;
    if (refusal) throw new EnswitchConfigurationError(refusal, { fn: String(fn), code: "CONFIG" });
    const validation = options.validation ?? false;
    const safe = options.safeToRetry ?? (validation || isReadOnlyFunction(fn));
    const wire = validation ? { ...params, validation: "1" } : { ...params };
    let relogged = false;
    for (let retry = 0; ;) {
      const auth: Params =
        this.session && !options.credentials
          ? { auth_token: await this.session.get() }
          : { auth_username: this.settings.username, auth_password: this.settings.password };
      try {
        return await this.attempt(fn, { ...auth, ...wire }, validation, retry + 1);
      } catch (error) {
        if (error instanceof EnswitchAuthenticationError && auth.auth_token && this.session && !relogged) {
          // The token expired or was revoked: one new login, then the same call again.
          relogged = true;
          await this.session.invalidate(auth.auth_token);
          this.log(`enswitch ${fn} token refused; logging in again`);
          continue;
        }
        const info = failureOf(error);
        const last = retry >= this.settings.retries;
        if (options.settle && info.kind === "maybe-processed") {
          // Looking is not a retry: even with retries=0 a lost answer is settled by one get.
          const settled = await options.settle(error as EnswitchError, last);
          if (settled) return settled;
        } else if (!isRetryable(info.kind, safe) || last) throw error;
        const delay = retryDelay(retry, this.settings, this.settings.random, info.retryAfterMs);
        this.log(`enswitch ${fn} retry ${retry + 1}/${this.settings.retries} in ${delay}ms`);
        retry++;
        this.counters.retries++;
        await this.settings.sleep(delay);
      }
    }
  }

  private attempt(fn: string, params: Params, validation: boolean, n: number): Promise<EnswitchAnswer> {
    return this.limiter.run(async () => {
      if (this.circuit) throw this.circuitError(fn, this.circuit);
      this.counters.calls[fn] = (this.counters.calls[fn] ?? 0) + 1;
      const redact = redactor([
        this.settings.password,
        ...this.tokens,
        ...SECRET_PARAMS.map((name) => params[name]),
      ]);
      const started = Date.now();
      try {
        const { baseUrl, method, timeoutMs, attemptTimer: timer } = this.settings;
        const reply = await sendAttempt({ baseUrl, fn, method, params, timeoutMs, timer, redact });
        this.timeouts = 0;
        const answer = readAnswer(reply, { fn, validation, redact });
        this.log(
          `enswitch ${fn} attempt=${n} http=${reply.status} code=${answer.code} ${Date.now() - started}ms`,
        );
        return answer;
      } catch (error) {
        const name = error instanceof Error ? error.name : "Error";
        const code = error instanceof EnswitchError ? error.code : "?";
        this.log(`enswitch ${fn} attempt=${n} failed ${name} code=${code} ${Date.now() - started}ms`);
        if (!(error instanceof EnswitchTimeoutError)) this.timeouts = 0;
        else if (++this.timeouts >= DEFAULT_SETTINGS.consecutiveTimeouts && !this.circuit) {
          this.circuit = `no answer from ${this.settings.baseUrl.toString()} within ${this.settings.timeoutMs} ms, ${this.timeouts} attempts in a row; every later call of this run fails at once.`;
        }
        throw this.circuit ? this.circuitError(fn, this.circuit) : error;
      }
    });
  }

  private async login(): Promise<string> {
    const fn = "user/login";
    const answer = await this.execute(fn, { token: "1" }, { credentials: true });
    const data = Array.isArray(answer.data) ? answer.data[0] : answer.data;
    const token = isRecord(data) ? data.auth_token : undefined;
    if (typeof token !== "string" || token === "") {
      const { code, responses } = answer;
      const hint = "Token login needs Enswitch 4.1 or later: turn useToken off for this switch.";
      const said = "the login answered without data.auth_token.";
      throw new EnswitchServerError(said, { fn, code, responses, hint });
    }
    this.tokens.add(token);
    return token;
  }

  /** The error of every call once the switch has stopped answering: final, never retried. */
  private circuitError(fn: string, message: string): EnswitchTimeoutError {
    const hint = `Check that the switch is up and answering there, or raise the timeoutMs setting (enswitch:timeoutMs) if it is only slow.`;
    return new EnswitchTimeoutError(message, { fn, code: "TIMEOUT", hint }); // unmarked: never retried
  }

  private noData(fn: string, answer: EnswitchAnswer, expected: string): EnswitchTransportError {
    const { code, responses, data } = answer;
    const got = data === undefined ? "no data" : Array.isArray(data) ? "an array" : typeof data;
    const hint = "Check that enswitch:url points at an Enswitch JSON API of a supported version.";
    const said = `answered ${code} with ${got} where ${expected} was expected.`;
    return new EnswitchTransportError(said, { fn, code, responses, hint });
  }

  /** The error of a lost create answer, restated with what the follow-up `get` found. Same class. */
  private relabel(lost: EnswitchError, found: string, hint: string, cause?: unknown): EnswitchError {
    const Kind = lost.constructor as ErrorClass;
    // The original message (EnswitchError writes `fn: said hint`) without "fn: " and the stale hint.
    const original = lost.message.slice(`${lost.fn}: `.length, lost.hint ? -lost.hint.length - 1 : undefined);
    const { fn, code, responses } = lost;
    const details = { fn, code, responses, hint, cause: cause instanceof Error ? cause : undefined };
    return new Kind(`answer lost (${original}) and ${found}.`, details);
  }

  private log(line: string): void {
    try {
      this.settings.logger(line);
    } catch {
      // A broken logger must not break a deployment.
    }
  }
}
