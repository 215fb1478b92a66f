/**
 * Turns loaded mailbox definitions into `Mailbox` resources: one per definition, named from its
 * customer and number, with its PIN from stack config, `copyPin`, the switch (adopted mailboxes) or
 * the derived PIN (see `pins.ts`); and {@link deployMailboxFiles}, the whole program.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MailboxArgs } from "../mailbox/args";
import { Mailbox } from "../mailbox/mailbox";
import { mailboxInputs, requireDefinitions, type MailboxDefinition } from "./load";
import { identityKey } from "./names";
import { choosePin, PinChoice, PinConfigError, PinSeedError, PinSources, SET_PIN_COMMAND } from "./pins";

/** Options of {@link declareMailboxes}. */
export interface DeclareOptions extends PinSources {
  /** Options given to every `Mailbox` (a parent, `protect`, …). */
  resourceOptions?: pulumi.CustomResourceOptions;
}

/** One declared mailbox and where its PIN came from. */
export interface DeclaredResource {
  definition: MailboxDefinition;
  resource: Mailbox;
  /** `config`, `copyPin`, `adopt` (the switch keeps its PIN) or `derived`. */
  pinSource: Exclude<PinChoice["source"], "missing">;
  /** The PIN this program gives the mailbox, as a secret; undefined for `copyPin` and `adopt`. */
  pin?: pulumi.Output<string>;
}

/**
 * Declares one `Mailbox` per definition. Throws {@link PinSeedError} before declaring anything when
 * some mailbox has no way to get a PIN, naming every such mailbox and the command that fixes it.
 *
 * @example
 * ```ts
 * const definitions = requireDefinitions("mailboxes/");
 * declareMailboxes(definitions, pinSourcesFromConfig());
 * ```
 */
export function declareMailboxes(
  definitions: readonly MailboxDefinition[],
  options: DeclareOptions = {},
): DeclaredResource[] {
  const choices = definitions.map((definition) => {
    const copyPin = definition.declared.copyPin ? String(definition.declared.copyPin) : undefined;
    return { definition, copyPin, choice: choosePin({ ...definition, copyPin }, options) };
  });
  const missing = choices.filter((c) => c.choice.source === "missing").map((c) => c.definition.resourceName);
  if (missing.length > 0) {
    throw new PinSeedError(
      `${missing.length} mailbox(es) have no PIN (${missing.join(", ")}). Files never hold PINs: set a seed ` +
        "for derived PINs with `pulumi config set --secret enswitch:pinSeed $(openssl rand -hex 32)`, or set " +
        `one PIN with \`${SET_PIN_COMMAND}\`, or use copyPin.`,
      missing,
    );
  }
  const known = new Set(definitions.map((d) => d.resourceName));
  for (const key of Object.keys(options.pins ?? {})) {
    if (!known.has(key)) pulumi.log.warn(`enswitch:pins has an entry ${key} for a mailbox no file declares`);
  }

  // A mailbox that copies its PIN from another declared mailbox must be created after it: declare the
  // source first and make it a dependency, so the engine never creates both at once.
  const byKey = new Map(choices.map((c) => [identityKey(c.definition), c]));
  const done = new Map<string, DeclaredResource>();
  const declare = (entry: (typeof choices)[number], path: string[]): DeclaredResource => {
    const key = identityKey(entry.definition);
    const existing = done.get(key);
    if (existing) return existing;
    const { definition, copyPin, choice } = entry;
    const source = copyPin ? byKey.get(identityKey({ ...definition, mailbox: copyPin })) : undefined;
    if (source && path.includes(key)) {
      throw new PinSeedError(
        `copyPin goes round in a circle (${[...path, key].join(" → ")}): one of these mailboxes needs a PIN of its own`,
        path,
      );
    }
    const after = source && declare(source, [...path, key]).resource;
    const pin = "pin" in choice ? pulumi.secret(choice.pin) : undefined;
    const args: MailboxArgs = { ...mailboxInputs(definition), ...(pin ? { pin } : {}) };
    const resource = new Mailbox(
      definition.resourceName,
      args,
      withDependency(options.resourceOptions, after),
    );
    const declared: DeclaredResource = {
      definition,
      resource,
      pinSource: choice.source as DeclaredResource["pinSource"],
      pin,
    };
    done.set(key, declared);
    return declared;
  };
  return choices.map((entry) => declare(entry, []));
}

/** The resource options with `source` added to their `dependsOn`. */
function withDependency(
  options: pulumi.CustomResourceOptions | undefined,
  source: pulumi.Resource | undefined,
): pulumi.CustomResourceOptions | undefined {
  if (!source) return options;
  const given = options?.dependsOn;
  const list =
    given === undefined ? [] : Array.isArray(given) ? given : [given as pulumi.Input<pulumi.Resource>];
  return { ...options, dependsOn: [...list, source] };
}

/**
 * The PIN secrets of the stack: `enswitch:pins` (a map from resource name to PIN) and
 * `enswitch:pinSeed`. Read in the program, where they stay secrets of the `Mailbox` inputs.
 *
 * Both are read as raw text: Pulumi's typed getters (`getObject`) put the whole value in the message
 * of the error they throw for malformed JSON, and that value is every explicit PIN in clear. Throws
 * {@link PinConfigError} instead, which never repeats the value.
 */
export function pinSourcesFromConfig(config: pulumi.Config = new pulumi.Config("enswitch")): PinSources {
  return { pins: parsePins(config.get("pins")), pinSeed: config.get("pinSeed") };
}

/** `enswitch:pins` as a map of resource name to PIN text; undefined when unset. */
function parsePins(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Neither the parser's message nor the error as cause: both quote the text, PINs included.
    throw new PinConfigError(
      `enswitch:pins is not valid JSON. Set each PIN on its own with: ${SET_PIN_COMMAND}`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new PinConfigError(
      `enswitch:pins must be a map from resource name to PIN. Set each PIN on its own with: ${SET_PIN_COMMAND}`,
    );
  }
  const pins: Record<string, string> = {};
  const bad: string[] = [];
  for (const [name, pin] of Object.entries(value)) {
    // A PIN set without --secret may arrive as a JSON number; beyond 2^53 its digits are already lost.
    if (typeof pin === "string") pins[name] = pin;
    else if (typeof pin === "number" && Number.isSafeInteger(pin) && pin >= 0) pins[name] = String(pin);
    else bad.push(name);
  }
  if (bad.length > 0) {
    throw new PinConfigError(
      `enswitch:pins has entries that are not a PIN (${bad.join(", ")}): each is the PIN's digits, set with: ` +
        SET_PIN_COMMAND,
      bad,
    );
  }
  return pins;
}

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
 * The program behind the repository's root `Pulumi.yaml`, reusable by any project: loads the mailbox
 * files (all problems at once, as a `DefinitionsError`), declares their mailboxes and returns the stack
 * outputs. Stack config: `<project>:mailboxDir` (the directory or file, relative to the project;
 * default {@link DEFAULT_MAILBOX_DIR}), `enswitch:version`, `enswitch:pins` and `enswitch:pinSeed`
 * (see `pins.ts`); `enswitch:url|username|password` are the provider's.
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
