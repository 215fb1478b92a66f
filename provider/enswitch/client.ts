/**
 * The Enswitch JSON API client: mailboxes and their destinations, over the shared keep-alive pool,
 * with typed errors, timeouts, retries where they are safe, and a create that is never repeated
 * blindly. No Pulumi here.
 *
 * Retry rules (see retry.ts for the failure kinds):
 * - get, list, destinations/list, user/login and every call with `validation=1` change nothing and
 *   are retried after timeouts, broken connections, HTTP 429 and HTTP 5xx.
 * - update, destinations/set and delete set absolute values or end in "gone": retried like reads (a
 *   repeated delete may answer 404, which the caller treats as "gone").
 * - create is retried only when nothing reached the switch (connection refused, 429). When its answer
 *   was lost (timeout, reset, 5xx), `mailboxes/get` looks first (even with `retries: 0`): no mailbox →
 *   sent again (up to `retries` times); the mailbox exactly as sent → taken as created, and said so;
 *   a mailbox with other settings → {@link EnswitchConflictError}, never claimed; the look failing →
 *   the outcome is unknown, and the error says how to check. A create refused because the number is
 *   taken (after a crash, the engine sends it again) is settled the same way.
 * - Envelope codes (400–404, 500) are answers, never retried.
 * - A switch that stops answering: after {@link DEFAULT_SETTINGS}.consecutiveTimeouts timed-out
 *   attempts in a row, every later call of this client fails at once with the same message.
 *
 * @example
 * ```ts
 * const client = new EnswitchClient({ url: "https://switch.example.com/api/json/", username, password });
 * await client.createMailbox({ mailbox: "1234", pin: "567890" }, { validation: true }); // dry run
 * await client.createMailbox({ mailbox: "1234", pin: "567890" });
 * const row = await client.getMailbox("1234");
 * ```
 */
import { EnswitchAnswer, readAnswer } from "./envelope";
import {
  EnswitchAuthenticationError,
  EnswitchConfigurationError,
  EnswitchConflictError,
  EnswitchError,
  EnswitchErrorDetails,
  EnswitchNotFoundError,
  EnswitchServerError,
  EnswitchTimeoutError,
  EnswitchTransportError,
  EnswitchValidationError,
} from "./errors";
import { redactor } from "./redact";
import { failureOf, isReadOnlyFunction, isRetryable, markFailure, retryDelay } from "./retry";
import { Semaphore } from "./semaphore";
import { ConnectionSettings, DEFAULT_SETTINGS, ResolvedSettings, resolveSettings } from "./settings";
import { TokenSession } from "./token";
import { sendAttempt } from "./transport";

export type { ConnectionSettings } from "./settings";
export type { EnswitchAnswer, EnswitchResponseEntry } from "./envelope";

/** Options of every write. */
export interface WriteOptions {
  /** Send `validation=1`: the switch checks everything, answers 201 and changes nothing. */
  validation?: boolean;
}

/** Options of {@link EnswitchClient.call}. */
export interface CallOptions extends WriteOptions {
  /**
   * Whether the call may be repeated after its answer was lost. Default: true for get/list/login and
   * for any call with `validation=1`, false otherwise.
   */
  safeToRetry?: boolean;
}

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

interface ExecuteOptions {
  validation: boolean;
  safe: boolean;
  /** Authenticate with username and password even in token mode (the login itself). */
  credentials?: boolean;
  /**
   * Settles an answer that may have been lost (create): an answer when the call turns out done,
   * `undefined` to send it again; throws when it cannot be settled (`last`: no retry is left).
   */
  settle?: (lost: EnswitchError, last: boolean) => Promise<EnswitchAnswer | undefined>;
}

/** The sent parameters a row does not show as sent (write-only ones aside). */
function differences(sent: Record<string, string>, row: Record<string, unknown>): string[] {
  const shown = (v: unknown) =>
    typeof v === "boolean" ? (v ? "1" : "0") : typeof v === "number" || typeof v === "string" ? String(v) : v;
  return Object.keys(sent).filter((key) => !WRITE_ONLY.has(key) && shown(row[key]) !== sent[key]);
}

function withCustomer(params: Record<string, string>, customer: number | undefined): Record<string, string> {
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
  call(fn: string, params: Record<string, string>, options: CallOptions = {}): Promise<EnswitchAnswer> {
    const validation = options.validation ?? false;
    return this.execute(fn, params, {
      validation,
      safe: options.safeToRetry ?? (validation || isReadOnlyFunction(fn)),
    });
  }

  /**
   * `mailboxes/create`. With `validation`, a dry run. A create whose answer was lost is settled with
   * `mailboxes/get` and a comparison of the row with `params` before it is ever sent again (see the
   * module documentation). Resolves with a sentence for the user when the create was settled that way
   * (it holds no value but the mailbox number), `undefined` otherwise.
   */
  async createMailbox(
    params: Record<string, string>,
    options: WriteOptions = {},
  ): Promise<string | undefined> {
    const fn = "mailboxes/create";
    if (options.validation) {
      await this.call(fn, params, { validation: true });
      return undefined;
    }
    const where = `mailbox ${params.mailbox}${params.customer ? ` in customer ${params.customer}` : ""}`;
    let note: string | undefined;
    const claim = (row: Record<string, unknown>, cause: string, lost?: EnswitchError): EnswitchAnswer => {
      const differ = differences(params, row);
      if (differ.length > 0) {
        throw new EnswitchConflictError(
          `${cause}, and ${where} exists with other settings (${differ.join(", ")}), so it is not taken as created.`,
          {
            fn,
            code: lost?.code ?? "400",
            key: "mailbox",
            hint: "If it is yours, add `adopt: true` to its Mailbox arguments (it is then updated to the declared settings); otherwise choose another number.",
          },
        );
      }
      this.counters.lookBeforeRetry++;
      note = `${fn}: ${cause}; mailboxes/get shows ${where} exactly as sent, so it is taken as created (its PIN cannot be read back).`;
      return { code: "204", responses: [] };
    };
    const settle = async (lost: EnswitchError, last: boolean) => {
      let row: Record<string, unknown> | undefined;
      try {
        row = await this.findRow(params);
      } catch (lookError) {
        const looked =
          lookError instanceof EnswitchError ? `${lookError.name} (${lookError.code})` : "an error";
        throw this.relabel(
          lost,
          `mailboxes/get then failed with ${looked}`,
          "The mailbox may or may not exist now. Check with mailboxes/get (or `pulumi refresh`), then adopt it or run the deployment again.",
          lookError,
        );
      }
      if (row) return claim(row, `the answer was lost (${lost.code})`, lost);
      if (last) {
        throw this.relabel(
          lost,
          "mailboxes/get shows the mailbox was not created",
          "Nothing was created; it is safe to run the deployment again.",
        );
      }
      return undefined;
    };
    try {
      await this.execute(fn, params, { validation: false, safe: false, settle });
    } catch (error) {
      // After a crash the engine sends the create again, and the switch refuses the number it holds.
      if (!(error instanceof EnswitchValidationError) || error.key !== "mailbox" || !params.mailbox)
        throw error;
      const row = await this.findRow(params).catch(() => undefined);
      if (!row || differences(params, row).length > 0) throw error;
      claim(row, "the switch refused the number as taken (a create interrupted earlier?)");
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
  private async findRow(params: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    const customer = params.customer === undefined ? undefined : Number(params.customer);
    return this.getMailbox(params.mailbox, customer).catch((error: unknown) => {
      if (error instanceof EnswitchNotFoundError) return undefined;
      throw error;
    });
  }

  /** `mailboxes/list`: every mailbox row of the customer (the login's own customer by default). */
  async listMailboxes(customer?: number): Promise<Record<string, unknown>[]> {
    const answer = await this.call("mailboxes/list", withCustomer({}, customer));
    if (answer.data === undefined || answer.data === null) return [];
    const rows = Array.isArray(answer.data)
      ? answer.data
      : isRecord(answer.data)
        ? Object.values(answer.data)
        : [];
    if (!rows.every(isRecord) || (!Array.isArray(answer.data) && !isRecord(answer.data))) {
      throw this.noData("mailboxes/list", answer, "an array of mailbox rows");
    }
    return rows as Record<string, unknown>[];
  }

  /** `mailboxes/update`: only the given fields change; retried when its answer is lost (it is idempotent). */
  async updateMailbox(
    mailbox: string,
    customer: number | undefined,
    params: Record<string, string>,
    options: WriteOptions = {},
  ): Promise<void> {
    await this.call("mailboxes/update", withCustomer({ ...params, mailbox }, customer), {
      validation: options.validation,
      safeToRetry: true,
    });
  }

  /** `mailboxes/delete`. 404 → {@link EnswitchNotFoundError} (also after a retry whose first attempt succeeded). */
  async deleteMailbox(mailbox: string, customer?: number): Promise<void> {
    await this.call("mailboxes/delete", withCustomer({ mailbox }, customer), { safeToRetry: true });
  }

  /** `mailboxes/destinations/list`: the mailbox numbers messages are copied to. */
  async listDestinations(mailbox: string, customer?: number): Promise<string[]> {
    const fn = "mailboxes/destinations/list";
    const answer = await this.call(fn, withCustomer({ mailbox }, customer));
    const data = answer.data;
    if (data === undefined || data === null || data === "") return [];
    if (typeof data === "string")
      return data
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
    if (!Array.isArray(data)) throw this.noData(fn, answer, "a list of destinations");
    return data.map((item) => {
      if (typeof item === "string" || typeof item === "number") return String(item);
      if (isRecord(item)) {
        const value = item.destination ?? item.mailbox ?? item.number;
        if (typeof value === "string" || typeof value === "number") return String(value);
      }
      throw this.noData(fn, answer, "a list of destinations");
    });
  }

  /** `mailboxes/destinations/set`: replaces the whole set (idempotent, so retried like a read). */
  async setDestinations(
    mailbox: string,
    customer: number | undefined,
    destinations: string[],
    options: WriteOptions = {},
  ): Promise<void> {
    await this.call(
      "mailboxes/destinations/set",
      withCustomer({ mailbox, destinations: destinations.join(",") }, customer),
      { validation: options.validation, safeToRetry: true },
    );
  }

  /** Counters since this client was built. */
  stats(): ClientStats {
    return {
      calls: { ...this.counters.calls },
      retries: this.counters.retries,
      lookBeforeRetry: this.counters.lookBeforeRetry,
    };
  }

  private async execute(
    fn: string,
    params: Record<string, string>,
    options: ExecuteOptions,
  ): Promise<EnswitchAnswer> {
    if (!FUNCTION_NAME.test(fn)) {
      throw new EnswitchConfigurationError(`"${fn}" is not an API function name (like mailboxes/get).`, {
        fn: String(fn),
        code: "CONFIG",
      });
    }
    const clash = AUTH_PARAMS.find((name) => name in params);
    if (clash) {
      throw new EnswitchConfigurationError(
        `parameter ${clash} is not allowed: the client adds authentication itself.`,
        {
          fn,
          code: "CONFIG",
        },
      );
    }
    const wire = options.validation ? { ...params, validation: "1" } : { ...params };
    let relogged = false;
    for (let retry = 0; ;) {
      const auth = await this.authentication(options.credentials ?? false);
      try {
        return await this.attempt(fn, { ...auth, ...wire }, options.validation, retry + 1);
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
        } else if (!isRetryable(info.kind, options.safe) || last) throw error;
        const delay = retryDelay(retry, this.settings, this.settings.random, info.retryAfterMs);
        this.log(`enswitch ${fn} retry ${retry + 1}/${this.settings.retries} in ${delay}ms`);
        retry++;
        this.counters.retries++;
        await this.settings.sleep(delay);
      }
    }
  }

  private attempt(
    fn: string,
    params: Record<string, string>,
    validation: boolean,
    n: number,
  ): Promise<EnswitchAnswer> {
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
        const reply = await sendAttempt({
          baseUrl: this.settings.baseUrl,
          fn,
          method: this.settings.method,
          params,
          timeoutMs: this.settings.timeoutMs,
          timer: this.settings.attemptTimer,
          redact,
        });
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

  private async authentication(credentials: boolean): Promise<Record<string, string>> {
    if (!this.session || credentials) {
      return { auth_username: this.settings.username, auth_password: this.settings.password };
    }
    return { auth_token: await this.session.get() };
  }

  private async login(): Promise<string> {
    const fn = "user/login";
    const answer = await this.execute(
      fn,
      { token: "1" },
      { validation: false, safe: true, credentials: true },
    );
    const data = Array.isArray(answer.data) ? answer.data[0] : answer.data;
    const token = isRecord(data) ? data.auth_token : undefined;
    if (typeof token !== "string" || token === "") {
      throw new EnswitchServerError("the login answered without data.auth_token.", {
        fn,
        code: answer.code,
        responses: answer.responses,
        hint: "Token login needs Enswitch 4.1 or later: turn useToken off for this switch.",
      });
    }
    this.tokens.add(token);
    return token;
  }

  /** The error of every call once the switch has stopped answering: final, never retried. */
  private circuitError(fn: string, message: string): EnswitchTimeoutError {
    const hint = `Check that the switch is up and answering there, or raise the timeoutMs setting (enswitch:timeoutMs) if it is only slow.`;
    return markFailure(new EnswitchTimeoutError(message, { fn, code: "TIMEOUT", hint }), "final");
  }

  private noData(fn: string, answer: EnswitchAnswer, expected: string): EnswitchTransportError {
    const got =
      answer.data === undefined ? "no data" : Array.isArray(answer.data) ? "an array" : typeof answer.data;
    return new EnswitchTransportError(`answered ${answer.code} with ${got} where ${expected} was expected.`, {
      fn,
      code: answer.code,
      responses: answer.responses,
      hint: "Check that enswitch:url points at an Enswitch JSON API of a supported version.",
    });
  }

  /** The error of a lost create answer, restated with what the follow-up `get` found. Same class. */
  private relabel(lost: EnswitchError, found: string, hint: string, cause?: unknown): EnswitchError {
    const details: EnswitchErrorDetails = {
      fn: lost.fn,
      code: lost.code,
      responses: lost.responses,
      hint,
      cause: cause instanceof Error ? cause : undefined,
    };
    const Kind = lost.constructor as new (message: string, details: EnswitchErrorDetails) => EnswitchError;
    // The original message without its "fn: " prefix and its hint, which no longer applies.
    const prefix = `${lost.fn}: `;
    let original = lost.message.startsWith(prefix) ? lost.message.slice(prefix.length) : lost.message;
    if (lost.hint && original.endsWith(` ${lost.hint}`)) original = original.slice(0, -lost.hint.length - 1);
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
