/**
 * The simulator as users run it: `enswitch simulator --port 0 --state FILE` from the built package
 * (`dist/cli/main.js`), as a child process that can be SIGKILLed. Every started child is tracked and
 * killed by {@link stopAllSimulators} (call it in `afterAll`) or, at the latest, when this process exits.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { childClosed } from "../support/childClosed";
import { REPO_ROOT } from "../support/repoPaths";

/** The built command line. */
export const CLI = path.join(REPO_ROOT, "dist", "cli", "main.js");

const live = new Set<ChildProcess>();

/** A running simulator child. */
export interface SimulatorProcess {
  /** Base URL printed on the first line of stdout. */
  url: string;
  /** Origin, for the `/_simulator/` control API. */
  origin: string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Sends `signal` and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `enswitch simulator` and resolves with its URL.
 *
 * @throws when `dist/` was not built or the child exits before printing its URL.
 */
export async function startSimulatorProcess(args: string[]): Promise<SimulatorProcess> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [CLI, "simulator", "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  // `close`, not `exit`: an error message or a kill's caller must see all of stderr.
  const closed = childClosed(child);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = closed.then(() => undefined);
  void exited.then(() => live.delete(child));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`simulator printed no URL in 20 s\n${stderr}`)), 20_000);
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const newline = out.indexOf("\n");
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, newline).trim());
      }
    });
    void closed.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited with ${code} before printing its URL\n${stderr}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    stderr: () => stderr,
    kill: async (signal = "SIGKILL") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Kills every simulator child still running. */
export async function stopAllSimulators(): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGKILL");
        }),
    ),
  );
}

process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});
