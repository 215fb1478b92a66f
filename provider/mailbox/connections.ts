/**
 * Which switch, and how to log in to it: stack config read in the provider host at run time, never in
 * the program, so credentials reach neither inputs, outputs nor the serialized `__provider`.
 *
 * The default connection is `enswitch:url`, `enswitch:username`, `enswitch:password` (secret), falling
 * back to `ENSWITCH_URL`, `ENSWITCH_USERNAME`, `ENSWITCH_PASSWORD`. A `connection: "staging"` input
 * selects the profile `staging` of the structured config `enswitch:connections` instead, e.g.
 *
 * ```sh
 * pulumi config set --path enswitch:connections.staging.url https://staging.example.com/api/json/
 * pulumi config set --path enswitch:connections.staging.username admin
 * pulumi config set --path --secret enswitch:connections.staging.password …
 * ```
 *
 * Every error says which setting is missing and the exact command that sets it; none repeats a value.
 */
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { EnswitchConfigurationError } from "../enswitch/errors";
import { ConnectionSettings, DEFAULT_SETTINGS } from "../enswitch/settings";

/** Where stack config comes from: `pulumi.dynamic.Config` in the provider host, or a test's stand-in. */
export interface ConfigSource {
  /** The value of a full key such as `enswitch:url`, or `undefined`. */
  get(key: string): unknown;
}

/** The config namespace of this package. */
export const CONFIG_NAMESPACE = "enswitch";

const FN = "configure";
const EXAMPLE_URL = "https://switch.example.com/api/json/";
const ENV = { url: "ENSWITCH_URL", username: "ENSWITCH_USERNAME", password: "ENSWITCH_PASSWORD" } as const;

/** The settings of one profile, as far as config gives them, before the required ones are checked. */
interface RawProfile {
  url?: unknown;
  username?: unknown;
  password?: unknown;
  method?: unknown;
  version?: unknown;
  useToken?: unknown;
  allowInsecureHttp?: unknown;
  timeoutMs?: unknown;
  retries?: unknown;
  maxConcurrency?: unknown;
  backoffBaseMs?: unknown;
  backoffMaxMs?: unknown;
  dryRunCreates?: unknown;
  dryRunUpdates?: unknown;
}

/** One usable connection: the client settings and the Enswitch version of that switch. */
export interface ResolvedConnection {
  /** The profile name, or `undefined` for the default connection. */
  profile: string | undefined;
  /** What the client needs. Holds the password: keep it in the host process. */
  settings: ConnectionSettings;
  /** The switch's Enswitch version (`enswitch:version` or the profile's `version`), if given. */
  enswitchVersion: string | undefined;
  /**
   * Whether `check` asks this switch (`validation=1`) about a mailbox that does not exist yet; default
   * true. False (`dryRunCreates`) leaves a new mailbox to the create call itself, which the switch
   * validates just the same (it creates nothing when it refuses): one round trip less per new
   * mailbox, and Pulumi calls `check` one resource at a time.
   */
  dryRunCreates: boolean;
  /**
   * Whether `check` and `diff` send `mailboxes/update` with `validation=1`; default true. False
   * (`dryRunUpdates`) for a switch without `validation` on update, which would carry the dry run out.
   */
  dryRunUpdates: boolean;
}

/**
 * Secret config values may arrive wrapped in Pulumi's secret signature object, also inside structured
 * config (the host unwraps only the top level); unwrap them deeply.
 */
function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (record[specialSigKey] === specialSecretSig) return unwrapSecrets(record.value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = unwrapSecrets(v);
  return out;
}

function configError(message: string, commands: string[]): EnswitchConfigurationError {
  const hint = commands.length === 1 ? `Run: ${commands[0]}` : `Run:\n  ${commands.join("\n  ")}`;
  return new EnswitchConfigurationError(message, { fn: FN, code: "CONFIG", hint });
}

/** Stack config and environment, read on demand. Cheap to build; nothing is validated until used. */
export class Connections {
  constructor(
    private readonly config: ConfigSource | undefined,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {}

  /**
   * The Enswitch version to validate against, or `undefined` for the schema's default. Never throws:
   * `check` needs it before the connection itself is required.
   */
  enswitchVersion(profile: string | undefined): string | undefined {
    try {
      const raw = profile === undefined ? undefined : this.profiles()[profile];
      // As in `resolve`: structured config may give a number (`version: 4`), not only text.
      return textOrUndefined(raw?.version) ?? textOrUndefined(this.read("version"));
    } catch {
      return undefined;
    }
  }

  /**
   * The connection of a profile (`undefined`: the default one).
   *
   * @throws EnswitchConfigurationError naming the missing setting and the `pulumi config set` command.
   */
  resolve(profile: string | undefined): ResolvedConnection {
    return profile === undefined ? this.resolveDefault() : this.resolveProfile(profile);
  }

  /** Profile names configured in `enswitch:connections`. */
  profileNames(): string[] {
    return Object.keys(this.profiles());
  }

  private resolveDefault(): ResolvedConnection {
    const raw: RawProfile = {
      url: this.read("url") ?? this.env[ENV.url],
      username: this.read("username") ?? this.env[ENV.username],
      password: this.read("password") ?? this.env[ENV.password],
      method: this.read("method"),
      version: this.read("version"),
      useToken: this.read("useToken"),
      allowInsecureHttp: this.read("allowInsecureHttp"),
      timeoutMs: this.read("timeoutMs"),
      retries: this.read("retries"),
      maxConcurrency: this.read("maxConcurrency"),
      backoffBaseMs: this.read("backoffBaseMs"),
      backoffMaxMs: this.read("backoffMaxMs"),
      dryRunCreates: this.read("dryRunCreates"),
      dryRunUpdates: this.read("dryRunUpdates"),
    };
    const commands: string[] = [];
    const missing: string[] = [];
    if (!isText(raw.url)) {
      missing.push(`enswitch:url (or ${ENV.url})`);
      commands.push(`pulumi config set enswitch:url ${EXAMPLE_URL}`);
    }
    if (!isText(raw.username)) {
      missing.push(`enswitch:username (or ${ENV.username})`);
      commands.push("pulumi config set enswitch:username <login>");
    }
    if (!isText(raw.password)) {
      missing.push(`enswitch:password (or ${ENV.password})`);
      commands.push("pulumi config set --secret enswitch:password <password>");
    }
    if (missing.length > 0) {
      throw configError(
        `the Enswitch connection is not configured: ${missing.join(", ")} not set.`,
        commands,
      );
    }
    return this.finish(undefined, raw, (key) => `enswitch:${key}`);
  }

  private resolveProfile(name: string): ResolvedConnection {
    const profiles = this.profiles();
    const raw = Object.prototype.hasOwnProperty.call(profiles, name) ? profiles[name] : undefined;
    const path = (key: string) => `enswitch:connections.${name}.${key}`;
    const commands: string[] = [];
    const missing: string[] = [];
    for (const key of ["url", "username", "password"] as const) {
      if (isText(raw?.[key])) continue;
      missing.push(path(key));
      const value = key === "url" ? EXAMPLE_URL : key === "username" ? "<login>" : "<password>";
      commands.push(`pulumi config set --path${key === "password" ? " --secret" : ""} ${path(key)} ${value}`);
    }
    if (missing.length > 0) {
      const known = Object.keys(profiles);
      const where =
        raw === undefined
          ? `connection "${name}" is not a profile of enswitch:connections (configured: ${known.length > 0 ? known.join(", ") : "none"}).`
          : `connection "${name}" is incomplete: ${missing.join(", ")} not set.`;
      throw configError(where, commands);
    }
    const finished = this.finish(name, raw as RawProfile, path);
    // A profile without its own version uses the stack-wide one.
    if (finished.enswitchVersion === undefined)
      finished.enswitchVersion = textOrUndefined(this.read("version"));
    return finished;
  }

  private finish(
    profile: string | undefined,
    raw: RawProfile,
    key: (k: string) => string,
  ): ResolvedConnection {
    const settings: ConnectionSettings = {
      url: raw.url as string,
      username: raw.username as string,
      password: raw.password as string,
    };
    if (raw.method !== undefined) {
      const method = typeof raw.method === "string" ? raw.method.toUpperCase() : "";
      if (method !== "POST" && method !== "GET") {
        throw configError(`${key("method")} must be POST or GET.`, [
          `pulumi config set${profile ? " --path" : ""} ${key("method")} POST`,
        ]);
      }
      settings.method = method;
    }
    const useToken = flag(raw.useToken, key("useToken"), profile);
    if (useToken !== undefined) settings.useToken = useToken;
    const insecure = flag(raw.allowInsecureHttp, key("allowInsecureHttp"), profile);
    if (insecure !== undefined) settings.allowInsecureHttp = insecure;
    const timeoutMs = count(raw.timeoutMs, key("timeoutMs"), profile);
    if (timeoutMs !== undefined) settings.timeoutMs = timeoutMs;
    const retries = count(raw.retries, key("retries"), profile);
    if (retries !== undefined) settings.retries = retries;
    const maxConcurrency = positiveCount(
      raw.maxConcurrency,
      key("maxConcurrency"),
      profile,
      DEFAULT_SETTINGS.maxConcurrency,
    );
    if (maxConcurrency !== undefined) settings.maxConcurrency = maxConcurrency;
    const baseMs = positiveCount(raw.backoffBaseMs, key("backoffBaseMs"), profile, DEFAULT_SETTINGS.baseMs);
    const maxMs = positiveCount(raw.backoffMaxMs, key("backoffMaxMs"), profile, DEFAULT_SETTINGS.maxMs);
    // Only what was set: the client's defaults fill the rest (and it raises a max below the base to it).
    if (baseMs !== undefined || maxMs !== undefined) {
      settings.backoff = {
        ...(baseMs !== undefined ? { baseMs } : {}),
        ...(maxMs !== undefined ? { maxMs } : {}),
      };
    }
    const dryRunCreates = flag(raw.dryRunCreates, key("dryRunCreates"), profile) ?? true;
    const dryRunUpdates = flag(raw.dryRunUpdates, key("dryRunUpdates"), profile) ?? true;
    const enswitchVersion = textOrUndefined(raw.version);
    return { profile, settings, enswitchVersion, dryRunCreates, dryRunUpdates };
  }

  /** `enswitch:connections`, as an object or a JSON string (structured config arrives as either). */
  private profiles(): Record<string, RawProfile> {
    const value = this.read("connections");
    if (value === undefined || value === "") return {};
    let parsed: unknown = value;
    if (typeof value === "string") {
      try {
        parsed = JSON.parse(value);
      } catch {
        throw configError("enswitch:connections is not a map of profiles.", [
          `pulumi config set --path enswitch:connections.<name>.url ${EXAMPLE_URL}`,
        ]);
      }
    }
    parsed = unwrapSecrets(parsed);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw configError("enswitch:connections is not a map of profiles.", [
        `pulumi config set --path enswitch:connections.<name>.url ${EXAMPLE_URL}`,
      ]);
    }
    const out: Record<string, RawProfile> = {};
    for (const [name, profile] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof profile === "object" && profile !== null && !Array.isArray(profile)) {
        out[name] = profile as RawProfile;
      }
    }
    return out;
  }

  private read(key: string): unknown {
    if (!this.config) return undefined;
    let value: unknown;
    try {
      value = this.config.get(`${CONFIG_NAMESPACE}:${key}`);
    } catch {
      // The host builds its Config from the Configure request; without one, there is no stack config.
      return undefined;
    }
    return value === null ? undefined : unwrapSecrets(value);
  }
}

function isText(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

function textOrUndefined(value: unknown): string | undefined {
  if (typeof value === "number") return String(value);
  return isText(value) ? value : undefined;
}

function flag(value: unknown, key: string, profile: string | undefined): boolean | undefined {
  if (value === undefined || value === "") return undefined;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw configError(`${key} must be true or false.`, [
    `pulumi config set${profile ? " --path" : ""} ${key} true`,
  ]);
}

function count(value: unknown, key: string, profile: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 0) {
    throw configError(`${key} must be a whole number.`, [
      `pulumi config set${profile ? " --path" : ""} ${key} 3`,
    ]);
  }
  return n;
}

/** Like `count`, but 0 is refused too: no requests in flight, or no wait at all, is never meant. */
function positiveCount(
  value: unknown,
  key: string,
  profile: string | undefined,
  example: number,
): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1) {
    throw configError(`${key} must be a positive whole number (1 or more).`, [
      `pulumi config set${profile ? " --path" : ""} ${key} ${example}`,
    ]);
  }
  return n;
}
