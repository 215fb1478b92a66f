/**
 * Fault injection: a plan (what may go wrong) and a schedule that decides, request by request and
 * reproducibly, what does. Rates draw from a seeded PRNG in arrival order; `failNext` is a counter.
 */
import { z } from "zod";

const faultKind = z.enum(["5xx", "429", "reset", "hang"]);
/** The kinds of fault a request can suffer. */
type FaultKind = z.infer<typeof faultKind>;

const rate = z.number().min(0).max(1);

/** The shape of a {@link FaultPlan}, also what `POST /_simulator/faults` accepts. */
const faultPlan = z.strictObject({
  /** Added to every request that `only` selects, faulted or not. */
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  /** The functions the faults apply to, e.g. `["mailboxes/create"]`. Default: all. */
  only: z.array(z.string()).optional(),
  /** Seed of the PRNG behind the rates. Default 1. */
  seed: z.number().int().optional(),
  /** Share of requests answered with `serverErrorStatus` and an HTML body. */
  serverErrorRate: rate.optional(),
  /** HTTP status of a server error. Default 502. */
  serverErrorStatus: z.number().int().min(500).max(599).optional(),
  /** Share of requests answered 429 with a `Retry-After` header. */
  tooManyRequestsRate: rate.optional(),
  /** The `Retry-After` value of a 429, in seconds. Default 1. */
  retryAfterSeconds: z.number().int().min(0).optional(),
  /** Share of requests whose connection is destroyed without an answer. */
  resetRate: rate.optional(),
  /** Share of requests never answered (until the simulator closes). */
  hangRate: rate.optional(),
  /** Exactly the next `count` requests (that `only` selects) suffer `kind`. */
  failNext: z
    .strictObject({
      kind: faultKind,
      count: z.number().int().min(0),
      status: z.number().int().min(400).max(599).optional(),
    })
    .optional(),
  /** Perform the request first, then answer with the fault: a lost answer to a change that happened. */
  processThenFail: z.boolean().optional(),
});

/**
 * What may go wrong. Rates are probabilities in [0, 1] drawn from a PRNG seeded with `seed`, so a
 * run is reproducible; `failNext` hits exactly the next `count` requests (it takes precedence).
 *
 * @example
 * ```ts
 * sim.faults.set({ failNext: { kind: "reset", count: 1 }, only: ["mailboxes/create"], processThenFail: true });
 * ```
 */
export type FaultPlan = z.infer<typeof faultPlan>;

/** The decision for one request. */
export interface FaultDecision {
  kind: FaultKind;
  /** HTTP status for `5xx` and `429`. */
  status: number;
  retryAfterSeconds: number;
  /** Whether to perform the request before failing. */
  processFirst: boolean;
}

/** Validates a plan received over HTTP (`POST /_simulator/faults`). */
export function parseFaultPlan(input: unknown): { ok: true; plan: FaultPlan } | { ok: false; error: string } {
  const result = faultPlan.safeParse(input);
  if (result.success) return { ok: true, plan: result.data };
  const error = result.error.issues.map((i) => `${i.path.join(".") || "plan"}: ${i.message}`).join("; ");
  return { ok: false, error };
}

/** mulberry32: a small, well-known seeded PRNG; plenty for fault schedules. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The live schedule of a simulator: holds the current plan and decides per request. */
export class FaultSchedule {
  private plan: FaultPlan = {};
  private random: () => number = prng(1);
  private remaining = 0;

  constructor(plan?: FaultPlan) {
    if (plan) this.set(plan);
  }

  /** Replaces the plan and restarts its schedule (PRNG reseeded, `failNext` counter reset). */
  set(plan: FaultPlan): void {
    this.plan = { ...plan };
    this.random = prng(plan.seed ?? 1);
    this.remaining = plan.failNext?.count ?? 0;
  }

  /** Removes every fault, latency included. */
  clear(): void {
    this.set({});
  }

  /** The current plan (a copy). */
  current(): FaultPlan {
    return { ...this.plan };
  }

  /** The latency to add to a request of `fn`. */
  latencyFor(fn: string): number {
    return this.applies(fn) ? (this.plan.latencyMs ?? 0) : 0;
  }

  /** Decides the fate of the next request of `fn`; `undefined` means answer normally. */
  decide(fn: string): FaultDecision | undefined {
    const plan = this.plan;
    if (!this.applies(fn)) return undefined;
    const next = plan.failNext && this.remaining > 0 ? plan.failNext : undefined;
    if (next) this.remaining -= 1;
    const kind = next ? next.kind : this.drawKind();
    if (!kind) return undefined;
    const status = next?.status ?? (kind === "429" ? 429 : (plan.serverErrorStatus ?? 502));
    const processFirst = plan.processThenFail === true;
    return { kind, status, retryAfterSeconds: plan.retryAfterSeconds ?? 1, processFirst };
  }

  /** The kind of fault the rates pick for a request, if any. */
  private drawKind(): FaultKind | undefined {
    const p = this.plan;
    const rates: [FaultKind, number][] = [
      ["5xx", p.serverErrorRate ?? 0],
      ["429", p.tooManyRequestsRate ?? 0],
      ["reset", p.resetRate ?? 0],
      ["hang", p.hangRate ?? 0],
    ];
    if (rates.every(([, r]) => r === 0)) return undefined;
    // One draw per request keeps the schedule a pure function of the seed and the arrival order.
    let draw = this.random();
    for (const [kind, r] of rates) {
      if (draw < r) return kind;
      draw -= r;
    }
    return undefined;
  }

  private applies(fn: string): boolean {
    return this.plan.only === undefined || this.plan.only.includes(fn);
  }
}
