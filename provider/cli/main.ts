#!/usr/bin/env node
/**
 * The `enswitch` command. Each subcommand lives in its own file and is registered here, nothing else.
 *
 * @example
 * ```sh
 * enswitch simulator --port 8080
 * ```
 */
import { Command } from "commander";
import { driftCommand } from "./drift";
import { forCli } from "./environment";
import { packageVersion } from "./validation-report";
import { exportCommand } from "./export";
import { simulatorCommand } from "./simulator";
import { validateCommand } from "./validate";

/** Builds the `enswitch` program with every subcommand, in the order `--help` lists them. */
export function buildProgram(): Command {
  return new Command("enswitch")
    .description("Enswitch voicemail mailboxes: a local simulator and tools for declarative mailbox files.")
    .version(packageVersion(), "-V, --version", "print the version of pulumi-enswitch")
    .showHelpAfterError()
    .addCommand(simulatorCommand())
    .addCommand(validateCommand())
    .addCommand(driftCommand())
    .addCommand(exportCommand());
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      process.stderr.write(`enswitch: ${forCli(error instanceof Error ? error.message : String(error))}\n`);
      process.exitCode = 1;
    });
}
