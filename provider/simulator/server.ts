/**
 * The HTTP side of the simulator: routing (`/api/json/<fn>/` and `/_simulator/`), parameter decoding,
 * the request record, fault injection and a clean shutdown. The API itself is in `api.ts`.
 */
import { once } from "node:events";
import * as http from "node:http";
import { AddressInfo, Socket } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { ApiContext, Envelope, callApi, envelope } from "./api";
import { Authenticator } from "./auth";
import { handleControl } from "./control";
import { FaultDecision, FaultSchedule } from "./faults";
import { defaultFixture } from "./fixture";
import { MalformedRequestError, decodeParams } from "./params";
import { SimulatorStore } from "./store";
import { RecordedRequest, Simulator, SimulatorOptions } from "./types";

const API_PREFIX = "/api/json/";
const CONTROL_PREFIX = "/_simulator/";
const MAX_BODY_BYTES = 1024 * 1024;

/** Sends JSON (`body` undefined: no content), or, with `html`, an HTML page as proxies send on errors. */
function send(res: http.ServerResponse, status: number, body: unknown, html?: Record<string, string>): void {
  const text = html ? `<html>${http.STATUS_CODES[status] ?? "Error"}</html>` : (JSON.stringify(body) ?? "");
  const type = html ? "text/html" : "application/json; charset=utf-8";
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(text), ...html });
  res.end(text);
}

/** A simulator listening on 127.0.0.1. */
export class SimulatorServer implements Simulator {
  readonly requests: RecordedRequest[] = [];
  readonly store: SimulatorStore;
  readonly faults: FaultSchedule;
  private readonly ctx: ApiContext;
  private readonly log?: (line: string) => void;
  private readonly server = http.createServer((req, res) => {
    this.route(req, res).catch(() => {
      // Last resort: an answer, never a crash or a stack trace.
      if (!res.headersSent && !res.destroyed) send(res, 200, envelope(500, "Internal error."));
    });
  });
  /** Aborted by `close()`: ends the latency waits of requests in progress. */
  private readonly closing = new AbortController();
  /** The port bound, once listening. */
  port = 0;

  /** Builds the store (loading `stateFile`), the logins and the fault schedule; nothing listens yet. */
  constructor(options: SimulatorOptions) {
    const fixture = options.fixture ?? defaultFixture();
    this.store = new SimulatorStore(fixture, options);
    const auth = new Authenticator(fixture, options.tokenTtlSeconds ?? 3600, options.now ?? Date.now);
    const { pinRule, updateValidation = true } = options;
    this.ctx = { store: this.store, auth, pinRule, updateValidation };
    this.faults = new FaultSchedule(options.faults);
    this.log = options.log;
    // A broken request line or header must not take the server down.
    this.server.on("clientError", (_err, socket: Socket) => {
      if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
      else socket.destroy();
    });
  }

  /** Binds 127.0.0.1:`port` (0 = any free port). */
  async listen(port: number): Promise<void> {
    this.server.listen(port, "127.0.0.1");
    await once(this.server, "listening"); // rejects on "error" (the port is taken)
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}${API_PREFIX}`;
  }

  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.requests) counts[r.fn] = (counts[r.fn] ?? 0) + 1;
    return counts;
  }

  resetLog(): void {
    this.requests.length = 0;
  }

  close(): Promise<void> {
    this.closing.abort();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    }
    const body = size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString("utf8");
    const rawUrl = req.url ?? "/";
    const pathname = rawUrl.split("?")[0] ?? "";
    const method = req.method ?? "GET";

    if (pathname.startsWith(CONTROL_PREFIX)) {
      if (body === undefined) return send(res, 413, { error: "Body too large." });
      let answer;
      try {
        answer = handleControl(method, pathname.slice(CONTROL_PREFIX.length), body, this);
      } catch {
        answer = { status: 400, body: { error: "Malformed control request." } };
      }
      return send(res, answer.status, answer.body);
    }
    if (!pathname.startsWith(API_PREFIX)) {
      return send(res, 404, envelope(404, "Not found: the API is under /api/json/."));
    }

    const fn = pathname.slice(API_PREFIX.length).replace(/\/+$/, "");
    const record: RecordedRequest = {
      method,
      rawUrl,
      rawBody: body ?? "",
      fn,
      params: {},
      code: "",
      httpStatus: 0,
    };
    this.requests.push(record);
    const started = Date.now();
    const decision = this.faults.decide(fn);
    const latency = this.faults.latencyFor(fn);
    const { signal } = this.closing;
    if (latency > 0) await delay(latency, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return;

    const answer = !decision || decision.processFirst ? this.answer(req, record, body) : undefined;
    if (decision) {
      this.inject(decision, res, record);
    } else if (answer) {
      record.code = answer.responses[0]?.code ?? "";
      record.httpStatus = 200;
      send(res, 200, answer);
    }
    this.log?.(
      `${method} ${API_PREFIX}${fn} -> ${record.httpStatus || "-"} ${record.code || "-"}` +
        `${record.fault ? ` fault=${record.fault}` : ""} ${Date.now() - started}ms`,
    );
  }

  /** Decodes and performs an API request. Never throws. */
  private answer(req: http.IncomingMessage, record: RecordedRequest, body: string | undefined): Envelope {
    if (record.method !== "GET" && record.method !== "POST")
      return envelope(400, `Unsupported method ${record.method}: use GET or POST.`);
    if (body === undefined) return envelope(400, "Request body too large.");
    const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (body !== "" && type !== "" && type !== "application/x-www-form-urlencoded") {
      return envelope(400, "Unsupported content type: send parameters as application/x-www-form-urlencoded.");
    }
    const q = record.rawUrl.indexOf("?");
    try {
      // The body first: on a POST its values win over the query string's.
      const params = decodeParams(q < 0 ? "" : record.rawUrl.slice(q + 1), decodeParams(body));
      record.params = { ...params };
      return callApi(record.fn, params, this.ctx);
    } catch (error) {
      return error instanceof MalformedRequestError
        ? envelope(400, error.message)
        : envelope(500, "Internal error.");
    }
  }

  private inject(decision: FaultDecision, res: http.ServerResponse, record: RecordedRequest): void {
    record.fault = decision.kind;
    if (decision.kind === "5xx" || decision.kind === "429") {
      record.httpStatus = decision.status;
      const retryAfter: Record<string, string> =
        decision.kind === "429" ? { "retry-after": String(decision.retryAfterSeconds) } : {};
      send(res, decision.status, undefined, retryAfter);
    } else if (decision.kind === "reset") {
      res.socket?.resetAndDestroy(); // a TCP reset, as a connection dropped by the network
    } // "hang": never answered; close() destroys the socket.
  }
}
