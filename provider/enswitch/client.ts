/**
 * The Enswitch JSON API client: mailboxes and their destinations, over the shared keep-alive pool,
 * with typed errors, timeouts, retries where they are safe, and a create that is never repeated
 * blindly. No Pulumi here.
 *
 * Retry rules (see retry.ts for the failure kinds):
 * - get, list, destinations/list, user/login and every call with `validation=1` change nothing and
 *   are retried after timeouts, broken connections, HTTP 429 and HTTP 5xx.
 * - update and destinations/set set absolute values, so repeating them leaves the same result: they
 *   are retried like reads. delete is retried too; a repeated delete may answer 404, which the caller
 *   treats as "gone".
 * - create is retried only when nothing reached the switch (connection refused, 429). When its
 *   answer was lost (timeout, reset, 5xx), `mailboxes/get` looks first (even with `retries: 0`): if
 *   the mailbox exists the create is taken as done, if it answers 404 the create is sent again (up to
 *   `retries` times), and if the look fails too the error says the outcome is unknown and how to check.
 *   Caveat: a mailbox that already existed before a create whose answer was lost is taken as created.
 * - Envelope codes (400–404, 500) are answers, never retried.
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
  EnswitchError,
  EnswitchErrorDetails,
  EnswitchNotFoundError,
  EnswitchServerError,
  EnswitchTransportError,
} from "./errors";
import { redactor } from "./redact";
import { failureOf, isReadOnlyFunction, isRetryable, retryDelay } from "./retry";
import { Semaphore } from "./semaphore";
import { ConnectionSettings, ResolvedSettings, resolveSettings } from "./settings";
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
  /** Creates whose answer was lost and that `mailboxes/get` then showed had succeeded. */
  lookBeforeRetry: number;
}

/** Parameters that hold secrets: redacted from every error text. */
const SECRET_PARAMS = ["pin", "password", "auth_password", "auth_token"];
const AUTH_PARAMS = ["auth_username", "auth_password", "auth_token"];
const FUNCTION_NAME = /^[a-z][a-z0-9_]*(\/[a-z][a-z0-9_]*)+$/;

interface ExecuteOptions {
  validation: boolean;
  safe: boolean;
  /** Authenticate with username and password even in token mode (the login itself). */
  credentials?: boolean;
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
   * `mailboxes/create`. With `validation`, a dry run. A create whose answer was lost is confirmed with
   * `mailboxes/get` before it is ever sent again.
   */
  async createMailbox(params: Record<string, string>, options: WriteOptions = {}): Promise<void> {
    const fn = "mailboxes/create";
    if (options.validation) {
      await this.call(fn, params, { validation: true });
      return;
    }
    // Looking is not a retry: even with retries=0 a lost answer is settled by one get.
    for (let resends = 0; ; resends++) {
      try {
        await this.execute(fn, params, { validation: false, safe: false });
        return;
      } catch (error) {
        if (failureOf(error).kind !== "maybe-processed" || !params.mailbox) throw error;
        const lost = error as EnswitchError;
        const lookup: Record<string, string> = { mailbox: params.mailbox };
        if (params.customer !== undefined) lookup.customer = params.customer;
        try {
          await this.call("mailboxes/get", lookup);
          this.counters.lookBeforeRetry++;
          this.log(`enswitch ${fn} answer lost (${lost.code}); mailboxes/get shows it was created`);
          return;
        } catch (lookError) {
          if (!(lookError instanceof EnswitchNotFoundError)) {
            const looked =
              lookError instanceof EnswitchError ? `${lookError.name} (${lookError.code})` : "an error";
            throw this.relabel(
              lost,
              `mailboxes/get then failed with ${looked}`,
              "The mailbox may or may not exist now. Check with mailboxes/get (or `pulumi refresh`), then adopt it or run the deployment again.",
              lookError,
            );
          }
        }
        if (resends >= this.settings.retries) {
          throw this.relabel(
            lost,
            "mailboxes/get shows the mailbox was not created",
            "Nothing was created; it is safe to run the deployment again.",
          );
        }
        const delay = retryDelay(resends, this.settings, this.settings.random, failureOf(lost).retryAfterMs);
        this.log(`enswitch ${fn} answer lost (${lost.code}); not created, sending again in ${delay}ms`);
        this.counters.retries++;
        await this.settings.sleep(delay);
      }
    }
  }

  /** `mailboxes/get`: the mailbox's fields as the switch returns them. 404 → {@link EnswitchNotFoundError}. */
  async getMailbox(mailbox: string, customer?: number): Promise<Record<string, unknown>> {
    const answer = await this.call("mailboxes/get", withCustomer({ mailbox }, customer));
    const row = Array.isArray(answer.data) && answer.data.length === 1 ? answer.data[0] : answer.data;
    if (!isRecord(row)) throw this.noData("mailboxes/get", answer, "the mailbox's fields");
    return row;
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
        if (!isRetryable(info.kind, options.safe) || retry >= this.settings.retries) throw error;
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
        const answer = readAnswer(reply, { fn, validation, redact });
        this.log(
          `enswitch ${fn} attempt=${n} http=${reply.status} code=${answer.code} ${Date.now() - started}ms`,
        );
        return answer;
      } catch (error) {
        const name = error instanceof Error ? error.name : "Error";
        const code = error instanceof EnswitchError ? error.code : "?";
        this.log(`enswitch ${fn} attempt=${n} failed ${name} code=${code} ${Date.now() - started}ms`);
        throw error;
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
