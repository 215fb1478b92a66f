/**
 * `enswitch simulator`: runs the Enswitch simulator until SIGTERM or SIGINT. The base URL is the first
 * line of stdout (scripts and tests read it); the optional access log goes to stderr.
 */
import { Command, InvalidArgumentError } from "commander";
import { startSimulator } from "../simulator";

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
    }
    return Number(value);
  };
}

/** Parses `--pin-length 4-10` (or `6` for exactly six digits). */
export function parsePinLength(value: string): { minLength: number; maxLength: number } {
  const match = /^([0-9]{1,2})(?:-([0-9]{1,2}))?$/.exec(value);
  const minLength = Number(match?.[1]);
  const maxLength = Number(match?.[2] ?? match?.[1]);
  if (!match || minLength < 1 || maxLength < minLength) {
    throw new InvalidArgumentError('must be MIN-MAX digits with 1 <= MIN <= MAX, e.g. "4-10".');
  }
  return { minLength, maxLength };
}

interface SimulatorFlags {
  port: number;
  state?: string;
  latency?: number;
  pinLength?: { minLength: number; maxLength: number };
  enswitchVersion?: string;
  updateValidation: boolean;
  tokenTtl?: number;
  log?: boolean;
}

/** The `simulator` subcommand. */
export function simulatorCommand(): Command {
  return new Command("simulator")
    .description(
      "Run a local Enswitch JSON API (mailboxes, user/login) on 127.0.0.1. Prints the base URL on the " +
        "first line of stdout; default logins admin/admin (customer 1), see the README.",
    )
    .option("-p, --port <port>", "port on 127.0.0.1 (0 = any free port)", integer("--port", 0, 65535), 0)
    .option("-s, --state <file>", "JSON state file: loaded at start, replaced atomically on every change")
    .option("--latency <ms>", "added to every API request", integer("--latency", 0, 600000))
    .option(
      "--pin-length <min-max>",
      "strict mode: PINs of MIN to MAX digits (default: any PIN)",
      parsePinLength,
    )
    .option(
      "--no-update-validation",
      "strict mode: ignore validation on mailboxes/update and act, as a switch without that parameter",
    )
    .option("--enswitch-version <version>", 'Enswitch version to behave as (default "3.14"; "4.4" for 4.x)')
    .option(
      "--token-ttl <seconds>",
      "lifetime of auth_token from user/login",
      integer("--token-ttl", 0, 31536000),
    )
    .option("--log", "write an access log to stderr (no credentials, no parameters)")
    .action(async (flags: SimulatorFlags) => {
      const sim = await startSimulator({
        port: flags.port,
        stateFile: flags.state,
        pinRule: flags.pinLength,
        updateValidation: flags.updateValidation,
        enswitchVersion: flags.enswitchVersion,
        tokenTtlSeconds: flags.tokenTtl,
        faults: flags.latency ? { latencyMs: flags.latency } : undefined,
        log: flags.log ? (line) => process.stderr.write(`${line}\n`) : undefined,
      });
      process.stdout.write(`${sim.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGTERM", stop);
          process.off("SIGINT", stop);
          resolve();
        };
        process.on("SIGTERM", stop);
        process.on("SIGINT", stop);
      });
      await sim.close();
    });
}
