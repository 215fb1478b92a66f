/**
 * The fleet of a benchmark: N mailboxes as the engine receives them from the real `Mailbox` class.
 *
 * One mailbox is declared in a program child of the benchmark's project (so `__provider`, the secret
 * wrapping of `pin` and `additionalSecretOutputs` are exactly what the installed package produces);
 * the other N - 1 registrations are copies with their own number, PIN and description. Every mailbox
 * of a stack carries the same `__provider`, so copying it is what the engine would see, without
 * running a program of thousands of resources just to learn it.
 */
import { recordMailboxes } from "../support/mailboxProgram";
import { PropertyMap, secret } from "../support/propertyValues";
import type { PulumiProject } from "../support/pulumiProject";
import { Registration, RegistrationLog } from "../support/registrationLog";

/** The mailbox numbers of a fleet start here (digits only, as the schema wants). */
const FIRST_NUMBER = 700000;

/** Which mailboxes the "10 % changed" scenarios change: every tenth. */
export function isChanged(index: number): boolean {
  return index % 10 === 0;
}

/** The registrations of a fleet, and the same fleet with 10 % of its mailboxes changed. */
export interface Fleet {
  /** The original declarations, in program order. */
  readonly registrations: readonly Registration[];
  /** The same, with every tenth mailbox's `description` changed (an in-place update). */
  readonly changed: readonly Registration[];
  /** Indices (into `registrations`) of the changed mailboxes. */
  readonly changedIndices: ReadonlySet<number>;
  /** A registration log holding `registrations`, for the engine stand-in's `additionalSecretOutputs`. */
  log(which: "original" | "changed"): RegistrationLog;
}

/** The Pulumi name of mailbox `index`. */
export function mailboxName(index: number): string {
  return `mb-${index}`;
}

/** The mailbox number of mailbox `index`. */
export function mailboxNumber(index: number): string {
  return String(FIRST_NUMBER + index);
}

/**
 * Declares one mailbox with the installed package, then builds `n` registrations from it.
 *
 * @example
 * ```ts
 * const fleet = await buildFleet(project, "bench", 1000);
 * fleet.registrations[0].inputs.__provider; // require("pulumi-enswitch/dist/mailbox/forwarder.js") …
 * ```
 */
export async function buildFleet(project: PulumiProject, stack: string, n: number): Promise<Fleet> {
  const recorded = await recordMailboxes(project, [
    { name: mailboxName(0), args: { mailbox: mailboxNumber(0), pin: pinOf(0), description: describe(0) } },
  ]);
  const template = recorded[mailboxName(0)];
  if (!template) throw new Error("the recording program registered no mailbox");
  const urns = new RegistrationLog(stack, project.name);
  const make = (index: number, description: string): Registration => {
    const name = mailboxName(index);
    const inputs: PropertyMap = {
      ...template.inputs,
      mailbox: mailboxNumber(index),
      pin: secret(pinOf(index)),
      description,
    };
    return { ...template, name, urn: urns.urnOf(template.parent, template.type, name), inputs };
  };
  const registrations: Registration[] = [];
  const changed: Registration[] = [];
  const changedIndices = new Set<number>();
  for (let i = 0; i < n; i++) {
    registrations.push(make(i, describe(i)));
    if (isChanged(i)) changedIndices.add(i);
    changed.push(make(i, isChanged(i) ? `${describe(i)} (changed)` : describe(i)));
  }
  return {
    registrations,
    changed,
    changedIndices,
    log: (which) => {
      const log = new RegistrationLog(stack, project.name);
      log.all.push(...(which === "original" ? registrations : changed));
      return log;
    },
  };
}

function pinOf(index: number): string {
  return String(1000 + (index % 9000));
}

function describe(index: number): string {
  return `Benchmark mailbox ${index}`;
}
