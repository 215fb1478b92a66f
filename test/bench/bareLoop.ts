/**
 * The bare undici loop: the same HTTP requests the provider made, sent by nothing but a keep-alive
 * undici pool, in the same pattern as the engine stand-in made them (see `fleetEngine.ts`): what Check
 * and Diff asked goes one mailbox after another, and each mailbox's step requests are then handed, in
 * that order, to one of P workers. The hand-off blocks as the engine's does (`stepExecutor.ExecuteSerial`
 * sends on the unbuffered `incomingChains`): with all P workers busy, the next mailbox's serial requests
 * wait for a free worker. Its time is what these calls cost on this machine without Pulumi, gRPC, the
 * provider or its client: the provider's time divided by it is the overhead ratio.
 *
 * It replays against a twin simulator that went through the same calls as the measured one, so every
 * request gets the same answer it got there (a create succeeds, a get finds the mailbox).
 */
import { Agent, request } from "undici";
import type { RecordedRequest } from "../../provider/simulator";

/** The outcome of a replay. */
export interface BareRun {
  /** Wall time of the replay, in milliseconds. */
  wallMs: number;
  /** Requests sent. */
  calls: number;
  /** Requests whose answer was not the one recorded (should be 0: the twin is in the same state). */
  mismatches: number;
}

/** The requests of a run grouped into chains: one per mailbox, in the order first seen; logins first. */
export function chainsOf(requests: readonly RecordedRequest[]): RecordedRequest[][] {
  const byMailbox = new Map<string, RecordedRequest[]>();
  const logins: RecordedRequest[] = [];
  for (const r of requests) {
    const mailbox = r.params.mailbox;
    if (mailbox === undefined) {
      logins.push(r);
      continue;
    }
    // By number alone: a fleet's numbers are unique, and not every call names the customer.
    const key = mailbox;
    let chain = byMailbox.get(key);
    if (!chain) byMailbox.set(key, (chain = []));
    chain.push(r);
  }
  return [...(logins.length > 0 ? [logins] : []), ...byMailbox.values()];
}

/**
 * Whether the provider sent this request from Check or Diff (the engine's serial part): its dry runs
 * (`validation=1`) are made there and only there (provider/mailbox/dryRun.ts), and in the benchmark's
 * scenarios Check and Diff make no other request.
 */
export function fromCheckOrDiff(r: RecordedRequest): boolean {
  return r.params.validation === "1";
}

/**
 * Sends each pass's requests to the simulator at `baseUrl` in the engine's pattern with `parallelism`
 * workers, one pass after another. A token login in the recording is replayed too, and its new token
 * replaces the recorded one.
 *
 * @example
 * ```ts
 * const bare = await replayBare([await sim.requests()], twin.url, 10);
 * ```
 */
export async function replayBare(
  passes: readonly (readonly RecordedRequest[])[],
  baseUrl: string,
  parallelism: number,
): Promise<BareRun> {
  const agent = new Agent({ connections: parallelism + 1, pipelining: 1, keepAliveTimeout: 4_000 });
  const base = new URL(baseUrl);
  let token: { recorded: string; replayed: string } | undefined;
  let mismatches = 0;
  let calls = 0;
  const send = async (r: RecordedRequest, requests: readonly RecordedRequest[]): Promise<void> => {
    let body = r.rawBody;
    if (token && body.includes(token.recorded)) body = body.split(token.recorded).join(token.replayed);
    calls++;
    const response = await request(new URL(`${r.fn}/`, base), {
      method: r.method as "POST" | "GET",
      headers: {
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
        accept: "application/json",
      },
      body: r.method === "POST" ? body : undefined,
      dispatcher: agent,
    });
    const text = await response.body.text();
    const code = answerCode(text, (answer) => {
      const replayed = answer.data?.auth_token;
      const recorded = r.fn === "user/login" ? recordedToken(requests, r) : undefined;
      if (replayed && recorded) token = { recorded, replayed };
    });
    if (code !== r.code) mismatches++;
  };
  let wallMs = 0;
  try {
    for (const requests of passes) {
      const started = performance.now();
      // P workers; taking one waits while all are busy, and a freed one goes to the oldest waiter.
      let free = parallelism;
      const waiting: (() => void)[] = [];
      const running: Promise<void>[] = [];
      const runSteps = async (steps: readonly RecordedRequest[]): Promise<void> => {
        try {
          for (const r of steps) await send(r, requests);
        } finally {
          const next = waiting.shift();
          if (next) next();
          else free++;
        }
      };
      try {
        for (const chain of chainsOf(requests)) {
          // Logins (a chain without a mailbox) come first: every later call needs their token.
          const serial = chain[0]?.params.mailbox === undefined ? chain : chain.filter(fromCheckOrDiff);
          for (const r of serial) await send(r, requests);
          const steps = chain.filter((r) => !serial.includes(r));
          if (steps.length === 0) continue;
          // The blocking hand-off: the next mailbox's serial part waits until a worker takes this chain.
          if (free === 0) await new Promise<void>((wake) => waiting.push(wake));
          else free--;
          running.push(runSteps(steps));
        }
      } finally {
        await Promise.allSettled(running);
      }
      await Promise.all(running);
      wallMs += performance.now() - started;
    }
    return { wallMs, calls, mismatches };
  } finally {
    await agent.close();
  }
}

/** An answer's envelope, as far as the replay reads it. */
interface Answer {
  responses?: { code?: string }[];
  data?: { auth_token?: string };
}

/** The first envelope code of an answer (`""` when it is not an envelope); `inspect` sees the parsed answer. */
function answerCode(text: string, inspect: (answer: Answer) => void): string {
  try {
    const answer = JSON.parse(text) as Answer;
    inspect(answer);
    return String(answer.responses?.[0]?.code ?? "");
  } catch {
    return "";
  }
}

/** The token the recorded login handed out: the `auth_token` the next recorded call carried. */
function recordedToken(requests: readonly RecordedRequest[], login: RecordedRequest): string | undefined {
  const after = requests.indexOf(login);
  for (let i = after + 1; i < requests.length; i++) {
    const t = requests[i]?.params.auth_token;
    if (t) return t;
  }
  return undefined;
}
