/**
 * The bare undici loop: the same HTTP requests the provider made, sent by nothing but a keep-alive
 * undici pool at the same parallelism, each mailbox's requests one after another as the engine
 * orders them (a mailbox's calls depend on each other; different mailboxes do not). Its time is what
 * these calls cost on this machine without Pulumi, gRPC, the provider or its client: the provider's
 * time divided by it is the overhead ratio.
 *
 * It replays against a twin simulator that went through the same calls as the measured one, so every
 * request gets the same answer it got there (a create succeeds, a get finds the mailbox).
 */
import { Agent, request } from "undici";
import type { RecordedRequest } from "../../provider/simulator";
import { forEachLimited } from "./boundedPool";

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
    const key = `${r.params.customer ?? ""}/${mailbox}`;
    let chain = byMailbox.get(key);
    if (!chain) byMailbox.set(key, (chain = []));
    chain.push(r);
  }
  return [...(logins.length > 0 ? [logins] : []), ...byMailbox.values()];
}

/**
 * Sends `requests` to the simulator at `baseUrl` with at most `parallelism` chains in flight.
 * A token login in the recording is replayed too, and its new token replaces the recorded one.
 *
 * @example
 * ```ts
 * const bare = await replayBare(simA.requests.slice(), twin.url, 10);
 * ```
 */
export async function replayBare(
  requests: readonly RecordedRequest[],
  baseUrl: string,
  parallelism: number,
): Promise<BareRun> {
  const agent = new Agent({ connections: parallelism, pipelining: 1, keepAliveTimeout: 4_000 });
  const chains = chainsOf(requests);
  const base = new URL(baseUrl);
  let token: { recorded: string; replayed: string } | undefined;
  let mismatches = 0;
  let calls = 0;
  const send = async (r: RecordedRequest): Promise<void> => {
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
  const started = performance.now();
  try {
    const [first, ...rest] = chains;
    // Logins, if any, come first: every later call needs their token.
    if (first && first[0]?.params.mailbox === undefined) for (const r of first) await send(r);
    else if (first) rest.unshift(first);
    const errors = await forEachLimited(rest, parallelism, async (chain) => {
      for (const r of chain) await send(r);
    });
    if (errors.length > 0) throw errors[0];
    return { wallMs: performance.now() - started, calls, mismatches };
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

/** One call's time and answer size. */
export interface OneCall {
  wallMs: number;
  bytes: number;
  code: string;
}

/**
 * Times a single API call made with a fresh keep-alive connection already open (one warm-up `get`
 * first), e.g. the one `mailboxes/list` that could answer a whole refresh.
 */
export async function timeOneCall(
  baseUrl: string,
  fn: string,
  params: Record<string, string>,
): Promise<OneCall> {
  const agent = new Agent({ connections: 1, pipelining: 1 });
  const base = new URL(baseUrl);
  const post = async (name: string, values: Record<string, string>) => {
    const response = await request(new URL(`${name}/`, base), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body: new URLSearchParams(values).toString(),
      dispatcher: agent,
    });
    return response.body.text();
  };
  try {
    await post("mailboxes/get", { ...params, mailbox: "0" });
    const started = performance.now();
    const text = await post(fn, params);
    const wallMs = performance.now() - started;
    const parsed = JSON.parse(text) as { responses?: { code?: string }[] };
    return { wallMs, bytes: Buffer.byteLength(text), code: String(parsed.responses?.[0]?.code ?? "") };
  } finally {
    await agent.close();
  }
}
