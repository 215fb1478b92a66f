/**
 * A scripted HTTP server on 127.0.0.1 for client tests that need answers no real switch gives on
 * purpose: HTML pages, truncated JSON, resets, hangs. Each request gets the next scripted reply
 * (the last one repeats); every request is recorded raw.
 */
import http from "node:http";
import { AddressInfo, Socket } from "node:net";

/** One recorded request. */
export interface SeenRequest {
  method: string;
  /** Path and query exactly as received. */
  rawUrl: string;
  rawBody: string;
  /** Parameters decoded from the body (POST) or query (GET). */
  params: URLSearchParams;
}

/** What the server does with one request. */
export type Reply =
  | {
      status?: number;
      headers?: Record<string, string>;
      body: string;
      delayMs?: number;
      after?: Promise<unknown>;
    }
  | { reset: true }
  | { hang: true }
  | ((request: SeenRequest) => Reply);

/** A JSON envelope reply. */
export function envelope(entries: { code: string; key?: string; message?: string }[], data?: unknown): Reply {
  const responses = entries.map((e) => ({ code: e.code, key: e.key ?? "", message: e.message ?? "" }));
  return {
    headers: { "content-type": "application/json" },
    body: JSON.stringify(data === undefined ? { responses } : { responses, data }),
  };
}

/** The running server. */
export interface FakeSwitch {
  /** Base URL ending in `/api/json/`. */
  url: string;
  requests: SeenRequest[];
  /** Replaces the script. */
  script(...replies: Reply[]): void;
  close(): Promise<void>;
}

/** Starts a scripted server on 127.0.0.1 with an ephemeral port. */
export async function startFakeSwitch(...initial: Reply[]): Promise<FakeSwitch> {
  let replies = initial;
  let served = 0;
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const rawUrl = req.url ?? "";
      const query = rawUrl.includes("?") ? rawUrl.slice(rawUrl.indexOf("?") + 1) : "";
      const seen: SeenRequest = {
        method: req.method ?? "",
        rawUrl,
        rawBody,
        params: new URLSearchParams(req.method === "POST" ? rawBody : query),
      };
      requests.push(seen);
      let reply: Reply = replies[Math.min(served, replies.length - 1)] ?? envelope([{ code: "204" }]);
      served++;
      while (typeof reply === "function") reply = reply(seen);
      if ("reset" in reply) req.socket.destroy();
      else if ("hang" in reply) return;
      else {
        const { status, headers, body, delayMs, after } = reply;
        const answer = () => {
          res.writeHead(status ?? 200, headers ?? { "content-type": "text/plain" });
          res.end(body);
        };
        if (after) void after.then(answer);
        else if (delayMs) setTimeout(answer, delayMs);
        else answer();
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/json/`,
    requests,
    script(...next: Reply[]) {
      replies = next;
      served = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
