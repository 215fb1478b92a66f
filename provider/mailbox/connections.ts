/**
 * Which switch, and how to log in to it: one zod schema of a connection's settings, read by the
 * provider from stack config (here) and by the `enswitch` CLI from environment variables and flags
 * (`cli/environment.ts`), so both take the same settings with the same rules and messages.
 *
 * The provider reads stack config in the provider host at run time, never in the program, so
 * credentials reach neither inputs, outputs nor the serialized `__provider`. The default connection is
 * `enswitch:url`, `enswitch:username`, `enswitch:password` (secret), falling back to `ENSWITCH_URL`,
 * `ENSWITCH_USERNAME`, `ENSWITCH_PASSWORD`. A `connection: "staging"` input selects the profile
 * `staging` of the structured config `enswitch:connections` instead, e.g.
 *
 * ```sh
 * pulumi config set --path enswitch:connections.staging.url https://staging.example.com/api/json/
 * pulumi config set --path enswitch:connections.staging.username admin
 * pulumi config set --path --secret enswitch:connections.staging.password …
 * ```
 *
 * Every error says which setting is wrong and the exact command that sets it; none repeats a value.
 */
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { z } from "zod";
import { EnswitchConfigurationError } from "../enswitch/errors";
import { ConnectionSettings, DEFAULT_SETTINGS as D } from "../enswitch/settings";

/** Where stack config comes from: `pulumi.dynamic.Config` in the provider host, or a test's stand-in. */
export interface ConfigSource {
  /** The value of a full key such as `enswitch:url`, or `undefined`. */
  get(key: string): unknown;
}

/** The Enswitch versions whose guides the schema follows (3.13 to 4.4); `4.4.2` and a bare `4` also work. */
const ENSWITCH_VERSIONS = ["3.13", "3.14", "4.0", "4.1", "4.2", "4.3", "4.4"] as const;

const FLAG = "true or false";
const MS = "a whole number of milliseconds, 1 or more";
const WHOLE = (min: number) => `a whole number, ${min} or more`;
const setting = (about: string, takes: string, example: string) => ({ about, takes, example });

/** The settings of a connection: what each is, what it takes, and an example value for hints. */
export const SETTINGS = {
  url: setting("base URL of the JSON API", "an http(s) URL", "https://switch.example.com/api/json/"),
  username: setting("login", "text", "<login>"),
  password: setting("password", "text", "<password>"),
  method: setting("HTTP method", "POST or GET", "POST"),
  version: setting("the switch's Enswitch version", `one of ${ENSWITCH_VERSIONS.join(", ")}`, "3.14"),
  useToken: setting("log in once (user/login, token=1) and reuse the token", FLAG, "true"),
  allowInsecureHttp: setting("allow plain http:// to a remote host", FLAG, "true"),
  timeoutMs: setting(`per-request timeout (default ${D.timeoutMs})`, MS, "30000"),
  retries: setting(`retries of calls safe to repeat (default ${D.retries})`, WHOLE(0), "4"),
  maxConcurrency: setting(`requests in flight at once (default ${D.maxConcurrency})`, WHOLE(1), "16"),
  backoffBaseMs: setting(`backoff base (default ${D.baseMs})`, MS, "250"),
  backoffMaxMs: setting(`backoff cap (default ${D.maxMs})`, MS, "10000"),
  dryRunCreates: setting("check asks the switch about new mailboxes", FLAG, "true"),
  dryRunUpdates: setting("check asks the switch about changes", FLAG, "true"),
};

/** The name of a connection setting. */
export type SettingKey = keyof typeof SETTINGS;

/** The keys of {@link SETTINGS}, in their documented order. */
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** One usable connection: the client settings and the Enswitch version of that switch. */
export interface ResolvedConnection {
  /** The profile name, or `undefined` for the default connection. */
  profile: string | undefined;
  /** What the client needs. Holds the password: keep it in the host process. */
  settings: ConnectionSettings;
  /** The switch's Enswitch version (`enswitch:version` or the profile's `version`), if given. */
  enswitchVersion: string | undefined;
  /** Whether `check` dry-runs the create of a new mailbox (default true; why not: ARCHITECTURE.md). */
  dryRunCreates: boolean;
  /** Whether `check` dry-runs updates (default true; false for a switch without `validation` on update). */
  dryRunUpdates: boolean;
}

/**
 * How a reader names a setting in its messages: the stack config key or profile path for the provider,
 * the flag or environment variable for the CLI; and the command that sets it.
 */
export interface SettingNames {
  /** e.g. `enswitch:retries`, or `--retries (ENSWITCH_RETRIES)`. */
  name(key: SettingKey): string;
  /** e.g. `pulumi config set enswitch:retries 4`, or `--retries 4`. */
  command(key: SettingKey): string;
  /** The word before the commands (default `Run:`) and the error's `fn` (default `configure`). */
  lead?: string;
  fn?: string;
}

/** A value that reads as text, also a number from structured config (`version: 4`). */
function textOf(value: unknown): unknown {
  return typeof value === "number" ? String(value) : value;
}

/**
 * The schema of a connection's settings, every one optional (required ones are checked by the reader,
 * which knows the command to name). Values come as text (environment, flags, `pulumi config set`) or
 * typed (structured config).
 */
function buildSettingsSchema() {
  const text = z.preprocess(textOf, z.string().min(1));
  const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);
  const whole = (min: number) =>
    z.preprocess(
      (v) => (typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : v),
      z.number().int().min(min),
    );
  return z
    .object({
      url: text,
      username: text,
      password: text,
      method: z.preprocess((v) => (typeof v === "string" ? v.toUpperCase() : v), z.enum(["POST", "GET"])),
      version: z.preprocess(
        textOf,
        z
          .string()
          .refine((v) => /^[34]$/.test(v) || ENSWITCH_VERSIONS.some((k) => v === k || v.startsWith(`${k}.`))),
      ),
      useToken: flag,
      allowInsecureHttp: flag,
      timeoutMs: whole(1),
      retries: whole(0),
      maxConcurrency: whole(1),
      backoffBaseMs: whole(1),
      backoffMaxMs: whole(1),
      dryRunCreates: flag,
      dryRunUpdates: flag,
    })
    .partial();
}

/** Settings after the schema: typed, and only those that were given. */
export type ParsedSettings = z.output<ReturnType<typeof buildSettingsSchema>>;

// Built on first use: a zod object held at module level cannot go through Pulumi's closure serializer.
let cached: ReturnType<typeof buildSettingsSchema> | undefined;
const settingsSchema = () => (cached ??= buildSettingsSchema());

function configError(
  message: string,
  commands: string[],
  { lead = "Run:", fn = "configure" }: Partial<SettingNames> = {},
): EnswitchConfigurationError {
  const hint = commands.length === 1 ? `${lead} ${commands[0]}` : `${lead}\n  ${commands.join("\n  ")}`;
  return new EnswitchConfigurationError(message, { fn, code: "CONFIG", hint });
}

/**
 * Checks raw settings (unset and empty values left out) with the settings schema, and, when `context`
 * names the connection, that url, username and password are there. Throws
 * {@link EnswitchConfigurationError} naming every wrong or missing setting, what it takes and the
 * command that sets it; never a value.
 *
 * @example
 * ```ts
 * parseSettings({ url, username: "admin", password, retries: "2" }, names).retries; // 2
 * ```
 */
export function parseSettings(
  raw: Partial<Record<SettingKey, unknown>>,
  names: SettingNames,
  context?: string,
): ParsedSettings {
  const given: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) if (raw[key] !== undefined && raw[key] !== "") given[key] = raw[key];
  const result = settingsSchema().safeParse(given);
  const wrong = result.success ? [] : [...new Set(result.error.issues.map((i) => i.path[0] as SettingKey))];
  const login = context === undefined ? [] : (["url", "username", "password"] as const);
  const missing = login.filter((k) => given[k] === undefined);
  if (!result.success || missing.length > 0) {
    const parts = [
      ...wrong.map((k) => `${names.name(k)} must be ${SETTINGS[k].takes}`),
      ...(missing.length > 0
        ? [`${context} is not configured: ${missing.map((k) => names.name(k)).join(", ")} not set`]
        : []),
    ];
    throw configError(`${parts.join("; ")}.`, [...wrong, ...missing].map(names.command), names);
  }
  return result.data;
}

/** The client settings and options of parsed settings: only what was set, the client fills the rest. */
export function toConnection(profile: string | undefined, parsed: ParsedSettings): ResolvedConnection {
  // Parsed settings hold only what was given: the rest are the client's own settings, which it fills.
  // The login is there: `parseSettings` checks it when given the connection's name.
  const { version, backoffBaseMs, backoffMaxMs, dryRunCreates, dryRunUpdates, ...client } = parsed;
  const settings = client as ConnectionSettings;
  // The client fills in an unset one, and raises a max below the base to it.
  if (backoffBaseMs !== undefined || backoffMaxMs !== undefined) {
    settings.backoff = { baseMs: backoffBaseMs, maxMs: backoffMaxMs };
  }
  return {
    profile,
    settings,
    enswitchVersion: version,
    dryRunCreates: dryRunCreates ?? true,
    dryRunUpdates: dryRunUpdates ?? true,
  };
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
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
}

const ENV_FALLBACK: Partial<Record<SettingKey, string>> = {
  url: "ENSWITCH_URL",
  username: "ENSWITCH_USERNAME",
  password: "ENSWITCH_PASSWORD",
};

/** Stack config and environment, read on demand. Cheap to build; nothing is validated until used. */
export class Connections {
  constructor(
    private readonly config: ConfigSource | undefined,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {}

  /**
   * The Enswitch version to validate against, or `undefined` for the schema's default (also when the
   * setting is invalid: `resolve` reports that). Never throws: `check` needs it before the connection
   * itself is required.
   */
  enswitchVersion(profile: string | undefined): string | undefined {
    try {
      const raw = profile === undefined ? undefined : this.profiles()[profile];
      return settingsSchema().shape.version.safeParse(raw?.version ?? this.read("version")).data;
    } catch {
      return undefined;
    }
  }

  /**
   * The connection of a profile (`undefined`: the default one).
   *
   * @throws EnswitchConfigurationError naming the missing or wrong setting and the `pulumi config set` command.
   */
  resolve(profile: string | undefined): ResolvedConnection {
    if (profile === undefined) {
      const raw: Partial<Record<SettingKey, unknown>> = {};
      for (const key of SETTING_KEYS) raw[key] = this.read(key) ?? this.envOf(key);
      return toConnection(undefined, parseSettings(raw, stackNames(undefined), "the Enswitch connection"));
    }
    const profiles = this.profiles();
    if (!Object.prototype.hasOwnProperty.call(profiles, profile)) {
      const known = Object.keys(profiles);
      throw configError(
        `connection "${profile}" is not a profile of enswitch:connections (configured: ${known.length > 0 ? known.join(", ") : "none"}).`,
        (["url", "username", "password"] as const).map(stackNames(profile).command),
      );
    }
    // A profile without its own version uses the stack-wide one.
    const raw = { version: this.read("version"), ...profiles[profile] };
    return toConnection(profile, parseSettings(raw, stackNames(profile), `connection "${profile}"`));
  }

  private envOf(key: SettingKey): string | undefined {
    const name = ENV_FALLBACK[key];
    return name === undefined ? undefined : this.env[name];
  }

  /** `enswitch:connections`, as an object or a JSON string (structured config arrives as either). */
  private profiles(): Record<string, Record<string, unknown>> {
    const value = this.read("connections");
    if (value === undefined || value === "") return {};
    const isMap = (v: unknown): v is Record<string, unknown> =>
      typeof v === "object" && v !== null && !Array.isArray(v);
    let parsed: unknown;
    try {
      parsed = unwrapSecrets(typeof value === "string" ? JSON.parse(value) : value);
    } catch {
      // Not JSON: reported below as not a map.
    }
    if (!isMap(parsed)) {
      throw configError("enswitch:connections is not a map of profiles.", [
        `pulumi config set --path enswitch:connections.<name>.url ${SETTINGS.url.example}`,
      ]);
    }
    // An entry that is not a map is not a profile.
    return Object.fromEntries(
      Object.entries(parsed).filter((e): e is [string, Record<string, unknown>] => isMap(e[1])),
    );
  }

  private read(key: string): unknown {
    if (!this.config) return undefined;
    let value: unknown;
    try {
      value = this.config.get(`enswitch:${key}`);
    } catch {
      // The host builds its Config from the Configure request; without one, there is no stack config.
      return undefined;
    }
    return value === null ? undefined : unwrapSecrets(value);
  }
}

/** Stack config names: `enswitch:<key>` (env fallback named for the login), or a profile's path. */
function stackNames(profile: string | undefined): SettingNames {
  const key = (k: SettingKey) =>
    profile === undefined ? `enswitch:${k}` : `enswitch:connections.${profile}.${k}`;
  return {
    name: (k) => (profile === undefined && ENV_FALLBACK[k] ? `${key(k)} (or ${ENV_FALLBACK[k]})` : key(k)),
    command: (k) =>
      `pulumi config set${profile === undefined ? "" : " --path"}${k === "password" ? " --secret" : ""} ${key(k)} ${SETTINGS[k].example}`,
  };
}
