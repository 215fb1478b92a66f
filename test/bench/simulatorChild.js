// The Enswitch simulator in a process of its own, for the benchmark (see simulatorProcess.ts, which
// forks this file and documents the messages). Plain JavaScript on purpose: it loads the BUILT
// simulator, so the switch's side costs what `dist/` costs, and it needs no TypeScript loader.
//
// argv: <built simulator module> <JSON options: { latencyMs }>
// It exits once the parent closes the IPC channel, or dies: a switch stand-in never outlives its user.
"use strict";

const [modulePath, optionsJson] = process.argv.slice(2);
let sim;
let ending = false;

/** The message of an error, with its stack when there is one (the parent shows it). */
function describe(error) {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function send(message, then) {
  if (process.connected) process.send(message, then);
  else if (then) then();
}

/** Stops the simulator (destroying its connections) and exits. */
function end(code) {
  if (ending) return;
  ending = true;
  Promise.resolve(sim ? sim.close() : undefined)
    .catch(() => undefined)
    .then(() => process.exit(code));
}

process.on("disconnect", () => end(0));

process.on("message", (message) => {
  const { id, op } = message;
  try {
    if (!sim) throw new Error("the simulator is not running");
    if (op === "requests") send({ id, ok: true, value: sim.requests });
    else if (op === "resetLog") {
      sim.resetLog();
      send({ id, ok: true });
    } else throw new Error(`unknown operation ${JSON.stringify(op)}`);
  } catch (error) {
    send({ id, ok: false, error: describe(error) });
  }
});

(async () => {
  if (!process.send) throw new Error("simulatorChild.js must be started with child_process.fork");
  const { latencyMs } = JSON.parse(optionsJson ?? "{}");
  const { startSimulator } = require(modulePath);
  sim = await startSimulator({ port: 0, faults: { latencyMs } });
  if (ending) return;
  send({ type: "ready", url: sim.url, port: sim.port });
})().catch((error) => {
  // Told first, then gone: the parent rejects once it has seen the exit.
  send({ type: "failed", error: describe(error) }, () => end(1));
});
