/**
 * The program behind the repository's root `Pulumi.yaml`, reusable by any project: deploy every mailbox
 * file of a directory. Stack config:
 *
 * - `<project>:mailboxDir`: the directory (or file) of mailbox files, relative to the project. Default
 *   {@link DEFAULT_MAILBOX_DIR}.
 * - `enswitch:version`: the switch's Enswitch version (schema rules such as `notifyFor`).
 * - `enswitch:pins`, `enswitch:pinSeed`: PIN secrets (see `pins.ts`).
 * - `enswitch:url`, `enswitch:username`, `enswitch:password`: read by the provider, not here.
 */
import * as pulumi from "@pulumi/pulumi";
import { declareMailboxes, pinSourcesFromConfig } from "./declare";
import { requireDefinitions } from "./load";

/** The directory the root program deploys when `mailboxDir` is not set. */
const DEFAULT_MAILBOX_DIR = "examples/gitops/mailboxes";

/** The stack outputs of {@link deployMailboxFiles}. */
export interface MailboxFilesOutputs {
  /** Resource names of the declared mailboxes, by file order. */
  mailboxes: string[];
  /** Where each mailbox's PIN comes from (`config`, `copyPin`, `adopt`, `derived`). */
  pinSources: Record<string, string>;
  /**
   * The PINs this program set (explicit or derived), a secret: `pulumi stack output --show-secrets pins`
   * tells an operator what to hand to a mailbox's owner.
   */
  pins: pulumi.Output<Record<string, string>>;
}

/** Options of {@link deployMailboxFiles}; each overrides its stack config. */
export interface DeployMailboxFilesOptions {
  /** Directory or file of mailbox files, relative to the project directory (the program's cwd). */
  mailboxDir?: string;
}

/**
 * Loads the mailbox files (all problems at once, as a `DefinitionsError`) and declares their mailboxes.
 * Returns the stack outputs.
 *
 * @example
 * ```js
 * // index.js of a Pulumi project
 * module.exports = require("pulumi-enswitch/definitions").deployMailboxFiles();
 * ```
 */
export function deployMailboxFiles(options: DeployMailboxFilesOptions = {}): MailboxFilesOutputs {
  const project = new pulumi.Config();
  const enswitch = new pulumi.Config("enswitch");
  const dir = options.mailboxDir ?? project.get("mailboxDir") ?? DEFAULT_MAILBOX_DIR;
  const definitions = requireDefinitions(dir, { enswitchVersion: enswitch.get("version") });
  const declared = declareMailboxes(definitions, pinSourcesFromConfig(enswitch));
  const pins: Record<string, pulumi.Output<string>> = {};
  for (const d of declared) if (d.pin) pins[d.definition.resourceName] = d.pin;
  return {
    mailboxes: declared.map((d) => d.definition.resourceName),
    pinSources: Object.fromEntries(declared.map((d) => [d.definition.resourceName, d.pinSource])),
    pins: pulumi.secret(pulumi.output(pins)),
  };
}
