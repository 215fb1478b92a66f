/**
 * The provider's own CPU cost per call, without gRPC, HTTP or the switch: the handlers of an installed
 * package (as built, or a variant) loaded in this process, with a client stand-in that answers at
 * once. Variants are measured in alternating rounds and the median kept, so that a busy machine
 * slows both sides alike.
 */
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { unwrapSecrets } from "../support/propertyValues";
import type { Registration } from "../support/registrationLog";

/** The handlers as the installed package exports them (typed structurally: it is loaded at run time). */
interface Handlers {
  check(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ inputs?: Record<string, unknown> }>;
  diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<unknown>;
  create(inputs: Record<string, unknown>): Promise<{ id: string; outs?: Record<string, unknown> }>;
}

type ProviderClass = new (options: { createClient: () => unknown; env: Record<string, string> }) => Handlers;

/** Microseconds per call of each operation, per package. */
export interface PerCallFigures {
  /** Package label → operation → median µs per call. */
  microseconds: Record<string, Record<string, number>>;
  rounds: number;
  callsPerRound: number;
}

/**
 * Run in a child `node` per measurement: loads what Pulumi's provider host has loaded before the first
 * Check (`@pulumi/pulumi`, its dynamic module and the provider protos), then the provider module,
 * and prints the CPU microseconds of that last `require` alone: the module loading a host pays once.
 */
const LOAD_PROBE = `const path = require("node:path");
const load = require("node:module").createRequire(path.join(process.argv[1], "package.json"));
for (const m of ["@pulumi/pulumi", "@pulumi/pulumi/dynamic", "@pulumi/pulumi/proto/provider_grpc_pb"]) load(m);
const before = process.cpuUsage();
load(path.join(process.argv[1], "dist/mailbox/provider.js"));
const used = process.cpuUsage(before);
process.stdout.write(String(used.user + used.system));`;

/** CPU microseconds to load the provider module of the package in `dir`, in a fresh process. */
function loadMicroseconds(dir: string): number {
  return Number(execFileSync(process.execPath, ["-e", LOAD_PROBE, dir], { encoding: "utf8" }));
}

/** A client stand-in: every call succeeds at once; `get` returns the mailbox as the switch would. */
function instantClient(wire: (fields: Record<string, unknown>) => Record<string, string>) {
  const rows = new Map<string, Record<string, unknown>>();
  return {
    createMailbox: async (params: Record<string, string>, options?: { validation?: boolean }) => {
      if (!options?.validation) rows.set(params.mailbox ?? "", { ...params, customer: 1, timezone: "UTC" });
    },
    updateMailbox: async () => undefined,
    deleteMailbox: async () => undefined,
    getMailbox: async (mailbox: string) => rows.get(mailbox) ?? { ...wire({ mailbox }), customer: 1 },
  };
}

/**
 * Times `check` (new and unchanged mailbox), `diff` (unchanged) and `create` of the packages in
 * `packageDirs` (label → installed package directory).
 */
export async function measurePerCall(
  packageDirs: Record<string, string>,
  template: Registration,
  rounds = 5,
  callsPerRound = 1000,
): Promise<PerCallFigures> {
  const news0 = unwrapSecrets(template.inputs).values;
  const packages = Object.entries(packageDirs).map(([label, dir]) => {
    const load = createRequire(path.join(dir, "package.json"));
    const { MailboxProvider } = load(path.join(dir, "dist/mailbox/provider.js")) as {
      MailboxProvider: ProviderClass;
    };
    const { toWire } = load(path.join(dir, "dist/mailbox/wire.js")) as {
      toWire: (f: Record<string, unknown>) => Record<string, string>;
    };
    const provider = new MailboxProvider({
      createClient: () => instantClient(toWire),
      env: {
        ENSWITCH_URL: "http://127.0.0.1:9/api/json/",
        ENSWITCH_USERNAME: "bench",
        ENSWITCH_PASSWORD: "bench",
      },
    });
    return { label, provider };
  });

  const samples: Record<string, Record<string, number[]>> = {};
  let serial = 0;
  const time = async (label: string, op: string, call: (i: number) => Promise<unknown>) => {
    const started = performance.now();
    for (let i = 0; i < callsPerRound; i++) await call(serial++);
    const us = ((performance.now() - started) * 1000) / callsPerRound;
    ((samples[label] ??= {})[op] ??= []).push(us);
  };
  for (let round = 0; round <= rounds; round++) {
    for (const { label, provider } of packages) {
      const first = await provider.check({}, news0);
      const olds = first.inputs ?? {};
      const created = await provider.create(olds);
      const outs = created.outs ?? {};
      const fresh = (i: number) => ({ ...news0, mailbox: String(900000 + i) });
      // One load per round, in its own process: what a host pays before its first Check.
      if (round > 0) {
        ((samples[label] ??= {})["load dist/mailbox/provider.js once per host (CPU, fresh process)"] ??=
          []).push(loadMicroseconds(packageDirs[label] as string));
      }
      // Round 0 warms the JIT and is not kept.
      const keep = round > 0;
      const run = keep
        ? time
        : async (_l: string, _o: string, call: (i: number) => Promise<unknown>) =>
            void (await call(serial++));
      await run(label, "check, new mailbox (dry run answered at once)", (i) => provider.check({}, fresh(i)));
      await run(label, "check, unchanged mailbox", () => provider.check(olds, news0));
      await run(label, "diff, unchanged mailbox", () => provider.diff(created.id, outs, olds));
      await run(label, "check + create, new mailbox (client answers at once)", async (i) => {
        const checked = await provider.check({}, fresh(i));
        return provider.create(checked.inputs ?? {});
      });
    }
  }
  const microseconds: Record<string, Record<string, number>> = {};
  for (const [label, ops] of Object.entries(samples)) {
    microseconds[label] = {};
    for (const [op, values] of Object.entries(ops)) {
      const sorted = [...values].sort((a, b) => a - b);
      (microseconds[label] as Record<string, number>)[op] = sorted[Math.floor(sorted.length / 2)] ?? 0;
    }
  }
  return { microseconds, rounds, callsPerRound };
}
