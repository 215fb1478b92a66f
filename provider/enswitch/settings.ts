/**
 * Connection settings of the Enswitch client, their defaults, and the checks that run before anything
 * is sent: a usable base URL, no credentials inside it, and no plain `http://` to a remote host unless
 * the user said so.
 */
import { EnswitchConfigurationError } from "./errors";

/**
 * How to reach and authenticate to one Enswitch switch.
 *
 * @example
 * ```ts
 * const settings: ConnectionSettings = {
 *   url: "https://switch.example.com/api/json/",
 *   username: "admin",
 *   password: process.env.ENSWITCH_PASSWORD ?? "",
 * };
 * ```
 */
export interface ConnectionSettings {
  /** Base URL including its path, e.g. `https://switch.example.com/api/json/` (prefix mounts such as `/local/api/json/` work). */
  url: string;
  /** The Enswitch login. */
  username: string;
  /** The Enswitch password. Sent only in request bodies (POST); never logged or put in error messages. */
  password: string;
  /**
   * `POST` (default) sends a form-encoded body, so credentials never appear in a URL. `GET` puts every
   * parameter in the query string, which leaks the credentials into proxy and access logs: use it only
   * for switches that refuse POST. Values are encoded either way.
   */
  method?: "POST" | "GET";
  /**
   * Time allowed for one attempt (headers and body), in milliseconds. Default 15000: with the
   * default retries, a switch that never answers fails a call within 46 s, then the whole run at once.
   */
  timeoutMs?: number;
  /** Maximum number of retries of a call that is safe to repeat. Default 4. */
  retries?: number;
  /** Exponential backoff with full jitter between retries. Defaults: base 250 ms, max 10000 ms. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Enswitch 4.1+: log in once with `user/login` and `token=1`, then send `auth_token` until a 401. */
  useToken?: boolean;
  /** Allow plain `http://` to a host that is not loopback (the password then travels in clear text). */
  allowInsecureHttp?: boolean;
  /** Requests in flight at once per client. Default 16. */
  maxConcurrency?: number;
  /** Receives one debug line per attempt: function, code, attempt, duration. Never values or credentials. */
  logger?: (line: string) => void;
  /** Random source in [0, 1) for the backoff jitter; injectable for deterministic tests. */
  random?: () => number;
  /** Waits between retries; injectable so tests can record the schedule instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Starts the per-attempt timeout: calls `onTimeout` once `ms` have passed and returns a function that
   * cancels it. Injectable so tests decide when an attempt times out instead of racing the clock
   * (test/enswitch/manual-timer.ts); the HTTP layer's own header/body timeouts (also `timeoutMs`)
   * stay in force either way.
   */
  attemptTimer?: AttemptTimer;
}

/** Starts a timeout of `ms` that calls `onTimeout`; returns its cancel function. */
export type AttemptTimer = (ms: number, onTimeout: () => void) => () => void;

/** The real clock: `setTimeout`/`clearTimeout`. */
export const realAttemptTimer: AttemptTimer = (ms, onTimeout) => {
  const timer = setTimeout(onTimeout, ms);
  return () => clearTimeout(timer);
};

/** Settings with every default applied and the base URL parsed (always ending with `/`). */
export type ResolvedSettings = Required<
  Omit<ConnectionSettings, "url" | "backoff" | "allowInsecureHttp" | "method">
> & { baseUrl: URL; method: "POST" | "GET"; baseMs: number; maxMs: number };

/** Defaults, in one place so that documentation and tests can refer to them. */
export const DEFAULT_SETTINGS = {
  method: "POST",
  timeoutMs: 15_000,
  retries: 4,
  /** Timed-out attempts in a row after which a client stops calling its switch (see client.ts). */
  consecutiveTimeouts: 3,
  baseMs: 250,
  maxMs: 10_000,
  maxConcurrency: 16,
} as const;

/** The error of unusable settings (nothing was sent). */
function refusal(message: string, hint?: string): EnswitchConfigurationError {
  return new EnswitchConfigurationError(message, { fn: "configuration", code: "CONFIG", hint });
}

/** True for `localhost`, `127.0.0.0/8` and `::1`: plain http there never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host === "::1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || /^::ffff:127\./.test(host);
}

function positive(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (Number.isFinite(value) && value >= min) return value;
  throw refusal(`${name} must be a number >= ${min}, got ${String(value)}.`);
}

/**
 * Applies defaults and checks the settings. Throws {@link EnswitchConfigurationError} (nothing is sent)
 * when the URL is unusable, carries credentials or a query, or is plain http to a remote host.
 */
export function resolveSettings(settings: ConnectionSettings): ResolvedSettings {
  const urlHint =
    "Set enswitch:url (or ENSWITCH_URL) to the switch's JSON API base, e.g. https://switch.example.com/api/json/.";
  let url: URL | undefined;
  try {
    url = new URL(settings.url);
  } catch {
    // Not echoed: the text may hold credentials (user:pass@host).
  }
  const method = settings.method ?? DEFAULT_SETTINGS.method;
  // The first that applies is reported.
  const refusals: [unknown, string, string][] = [
    [!settings.url, "no Enswitch URL is configured.", urlHint],
    [!url, "the Enswitch URL is not a valid absolute URL.", urlHint],
    [url && !/^https?:$/.test(url.protocol), `the Enswitch URL must use https:// (or http://), not ${url?.protocol}//.`, urlHint],
    [url?.username || url?.password, "the Enswitch URL contains credentials (user:password@host).",
      "Remove them from enswitch:url and set enswitch:username and enswitch:password (secret) instead."],
    [url?.search || url?.hash, "the Enswitch URL must not have a query string or fragment.", urlHint],
    [url?.protocol === "http:" && !isLoopbackHost(url.hostname) && !settings.allowInsecureHttp,
      `refusing plain http:// to ${url?.hostname}: the password would cross the network unencrypted.`,
      "Use https://, or set allowInsecureHttp (enswitch:allowInsecureHttp true) if this network is trusted."],
    [!settings.username, "no Enswitch username is configured.", "Set enswitch:username (or ENSWITCH_USERNAME)."],
    [!settings.password, "no Enswitch password is configured.", "Set enswitch:password as a secret (or ENSWITCH_PASSWORD)."],
    [method !== "POST" && method !== "GET", `method must be POST or GET, got ${String(method)}.`, ""],
  ]; // prettier-ignore
  const refused = refusals.find(([applies]) => applies);
  if (refused || !url) throw refusal(refused?.[1] ?? "", refused?.[2]);
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  const baseMs = positive("backoff.baseMs", settings.backoff?.baseMs, DEFAULT_SETTINGS.baseMs, 0);
  return {
    baseUrl: url,
    username: settings.username,
    password: settings.password,
    method,
    timeoutMs: positive("timeoutMs", settings.timeoutMs, DEFAULT_SETTINGS.timeoutMs, 1),
    retries: Math.floor(positive("retries", settings.retries, DEFAULT_SETTINGS.retries, 0)),
    baseMs,
    maxMs: Math.max(baseMs, positive("backoff.maxMs", settings.backoff?.maxMs, DEFAULT_SETTINGS.maxMs, 0)),
    useToken: settings.useToken ?? false,
    maxConcurrency: Math.floor(
      positive("maxConcurrency", settings.maxConcurrency, DEFAULT_SETTINGS.maxConcurrency, 1),
    ),
    logger: settings.logger ?? (() => undefined),
    random: settings.random ?? Math.random,
    sleep: settings.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    attemptTimer: settings.attemptTimer ?? realAttemptTimer,
  };
}
