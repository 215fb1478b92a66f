/**
 * The end of a child process as a promise that settles on `'close'`, not `'exit'`: `'exit'` can come
 * while the stdout/stderr pipes still hold data, so output read then may miss its tail (and a leak
 * scan of it could miss a secret printed last).
 */
import type { ChildProcess } from "node:child_process";

/** How a child ended. */
export interface ChildEnd {
  /** Exit code, `null` when a signal ended it. */
  code: number | null;
  /** The signal that ended it, if any. */
  signal: NodeJS.Signals | null;
}

/**
 * Resolves once `child` has exited and all its stdio streams are closed, i.e. every `'data'` event
 * has been delivered. Call it right after `spawn` so the `'close'` event cannot be missed.
 *
 * @example
 * ```ts
 * const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "pipe"] });
 * let stdout = "";
 * child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
 * const { code } = await childClosed(child); // stdout is complete here
 * ```
 */
export function childClosed(child: ChildProcess): Promise<ChildEnd> {
  return new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal })));
}

/** How a child ended, with everything it printed. */
export interface ChildOutput extends ChildEnd {
  stdout: string;
  stderr: string;
}

/**
 * Collects a piped child's stdout and stderr and resolves with them once it has closed (see
 * {@link childClosed}). Call it right after `spawn`.
 */
export function childOutput(child: ChildProcess): Promise<ChildOutput> {
  const closed = childClosed(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return closed.then((end) => ({ ...end, stdout, stderr }));
}
