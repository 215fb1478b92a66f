/**
 * The switch the `enswitch` commands talk to: the same settings, schema and messages as the provider's
 * stack config (`mailbox/connections.ts`), read from flags (`--retries 2`) over environment variables
 * (`ENSWITCH_RETRIES=2`). The password has no flag (it would land in shell history and process lists):
 * `ENSWITCH_PASSWORD` only. No value is ever printed.
 */
import { Command, Option } from "commander";
import { EnswitchClient } from "../enswitch/client";
import { closeAgents } from "../enswitch/pool";
import {
  ParsedSettings,
  parseSettings,
  SettingNames,
  SETTING_KEYS,
  SettingKey,
  SETTINGS,
  toConnection,
} from "../mailbox/connections";

/**
 * The settings the CLI takes, in `--help` order. `dryRunCreates` is a setting of `pulumi preview` only:
 * `validate --remote` exists to send create dry runs. Update dry runs stay a setting
 * (`--dry-run-updates false`): on a switch without them they would act.
 */
export const CLI_SETTINGS = SETTING_KEYS.filter((k) => k !== "dryRunCreates");

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The environment variable of a setting: `maxConcurrency` → `ENSWITCH_MAX_CONCURRENCY`. */
export function envName(key: SettingKey): string {
  return `ENSWITCH_${kebab(key).replace(/-/g, "_").toUpperCase()}`;
}

/** The flag of a setting (`--enswitch-version` for `version`), or undefined for the password. */
export function flagName(key: SettingKey): string | undefined {
  if (key === "password") return undefined;
  return key === "version" ? "--enswitch-version" : `--${kebab(key)}`;
}

/** Where the CLI reads a setting, in words: `--retries or ENSWITCH_RETRIES`. */
function cliName(key: SettingKey): string {
  const flag = flagName(key);
  return flag ? `${flag} or ${envName(key)}` : envName(key);
}

/** A setting that a bare flag turns on (`--use-token`); the others take a value. */
const isFlag = (key: SettingKey) => key === "useToken" || key === "allowInsecureHttp";

const names: SettingNames = {
  name: cliName,
  command: (k) => {
    const example = SETTINGS[k].example;
    const flag = flagName(k);
    const value = isFlag(k) ? "" : ` ${example}`;
    return flag
      ? `${flag}${value} (or ${envName(k)}=${example})`
      : `${envName(k)}=${example} in the environment`;
  },
  lead: "Set:",
  fn: "settings",
};

/**
 * Adds a flag for every connection setting (the password excepted), each documented with its
 * environment variable.
 */
export function connectionOptions(command: Command): Command {
  for (const key of CLI_SETTINGS) {
    const flag = flagName(key);
    if (!flag) continue;
    const { about, takes } = SETTINGS[key];
    const help = isFlag(key)
      ? `${about} (env ${envName(key)}=true)`
      : `${about}: ${takes} (env ${envName(key)})`;
    command.addOption(new Option(isFlag(key) ? flag : `${flag} <value>`, help));
  }
  return command.addHelpText("after", `\nThe password is read from ${envName("password")} only.`);
}

/** The raw settings of the flags (as commander parsed them) over the environment. */
function rawSettings(flags: object, env: NodeJS.ProcessEnv): Partial<Record<SettingKey, unknown>> {
  const given = flags as Record<string, unknown>;
  const raw: Partial<Record<SettingKey, unknown>> = {};
  for (const key of CLI_SETTINGS) {
    const flag = given[key === "version" ? "enswitchVersion" : key];
    raw[key] = flag === undefined ? env[envName(key)] : typeof flag === "boolean" ? String(flag) : flag;
  }
  return raw;
}

/**
 * One setting of the flags and environment, checked without the login a client needs: the Enswitch
 * version for the schema rules (an unknown one is refused listing the valid versions), or whether
 * `validate --remote` may send update dry runs.
 */
export function settingOf<K extends "version" | "dryRunUpdates">(
  key: K,
  flags: object,
  env: NodeJS.ProcessEnv = process.env,
): ParsedSettings[K] {
  return parseSettings({ [key]: rawSettings(flags, env)[key] }, names)[key];
}

/**
 * A client for the switch of the flags and environment. Throws `EnswitchConfigurationError` naming
 * every missing or wrong setting with its flag and variable (never a value).
 *
 * @example
 * ```ts
 * const client = clientOf({ retries: "2" }, process.env);
 * ```
 */
export function clientOf(flags: object, env: NodeJS.ProcessEnv = process.env): EnswitchClient {
  return new EnswitchClient(
    toConnection(undefined, parseSettings(rawSettings(flags, env), names, "the switch")).settings,
  );
}

/**
 * Runs a command's work with a client for the switch of the flags and environment, then closes the
 * connections (also when the work fails), so the process can exit.
 */
export async function withClient<T>(flags: object, work: (client: EnswitchClient) => Promise<T>): Promise<T> {
  const client = clientOf(flags);
  try {
    return await work(client);
  } finally {
    await closeAgents();
  }
}

/**
 * Which switch a file's `connection` names, and the flag that selects it: what a command says about
 * mailboxes it leaves to a run against another switch.
 */
export function otherSwitch(connection: string | undefined): { of: string; flag: string } {
  return connection === undefined
    ? { of: "the default switch", flag: "without --connection" }
    : { of: `connection ${connection}`, flag: `--connection ${connection}` };
}

/**
 * A message of the client or provider with each stack config key (`enswitch:timeoutMs`) replaced by
 * what the CLI reads instead, so every hint it prints is something the CLI can do.
 */
export function forCli(message: string): string {
  return message.replace(/enswitch:([a-zA-Z]+)( true)?/g, (whole, key: string, value?: string) => {
    if (!(SETTING_KEYS as string[]).includes(key)) return whole;
    const k = key as SettingKey;
    const flag = flagName(k);
    if (value) return `${flag ? `${flag} or ` : ""}${envName(k)}=true`;
    return cliName(k);
  });
}
