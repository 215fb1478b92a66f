/**
 * Entry point of a program child: `node programChild.js <request.json>`, cwd = the project directory.
 *
 * Runs in plain Node, never under jest (jest rewrites modules, which changes what Pulumi's closure
 * serializer sees). Loads `@pulumi/pulumi` from the project directory, i.e. the instance the installed
 * package uses, installs the {@link RegistrationLog}, calls `setMocks` with either a recorder or the
 * {@link EngineStandIn}, runs the program, waits for its registrations and writes a
 * {@link ProgramResult}.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { EngineStandIn, NewResourceArgs } from "../engineStandIn";
import type { ProgramRequest, ProgramResult } from "../programProtocol";
import { ProviderClient } from "../providerClient";
import { MockMonitorClass, RegistrationLog } from "../registrationLog";

type Pulumi = typeof import("@pulumi/pulumi");

async function main(requestFile: string): Promise<void> {
  const request = JSON.parse(fs.readFileSync(requestFile, "utf8")) as ProgramRequest;
  const projectRequire = createRequire(path.join(request.projectDir, "package.json"));
  const pulumi = projectRequire("@pulumi/pulumi") as Pulumi;
  const { MockMonitor } = projectRequire("@pulumi/pulumi/runtime/mocks") as { MockMonitor: MockMonitorClass };

  const result: ProgramResult = { registrations: [], steps: [], errors: [], programErrors: [] };
  const log = new RegistrationLog(request.stack, request.project);
  log.attach(MockMonitor);
  // A failed registration comes back as rejections of the resource's outputs: those echoes are
  // already in `errors`. Pulumi's text names the resource (`resource <name> [...]`), not its URN.
  // `engine.errors` fills during the run; `result.errors` only at its end.
  const isEcho = (message: string) =>
    [...(engine?.errors ?? result.errors).map((e) => e.urn), ...(engine?.skipped ?? [])].some(
      (urn) => message.includes(urn) || message.includes(`resource ${urn.split("::").pop()} [`),
    );
  process.on("unhandledRejection", (reason) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    if (!isEcho(message)) result.programErrors.push(message);
  });

  let client: ProviderClient | undefined;
  let engine: EngineStandIn | undefined;
  if (request.mode === "engine") {
    if (request.hostPort === undefined) throw new Error("engine mode needs hostPort");
    client = new ProviderClient(request.hostPort);
    engine = new EngineStandIn({
      provider: client,
      project: request.project,
      stack: request.stack,
      state: request.state,
      preview: request.preview,
      registrations: log,
      parallel: request.parallel,
      continueOnError: request.continueOnError,
      parallelDiff: request.parallelDiff,
      providerConfig: request.providerConfig,
    });
    if (request.refresh) await engine.refresh();
    if (request.destroy) {
      result.state = await engine.destroy();
      Object.assign(result, { errors: engine.errors, steps: engine.steps, calls: engine.calls });
      client.close();
      fs.writeFileSync(request.resultFile, JSON.stringify(result, null, 2));
      return;
    }
    await pulumi.runtime.setMocks(engine, request.project, request.stack, request.preview ?? false);
  } else {
    await pulumi.runtime.setMocks(
      {
        newResource: (args: NewResourceArgs) => ({
          id: args.custom ? `${args.name}-id` : undefined,
          state: args.inputs,
        }),
        call: () => ({}),
      },
      request.project,
      request.stack,
      false,
    );
  }

  try {
    const exported: unknown = projectRequire(request.program);
    if (typeof exported === "function") await (exported as () => unknown)();
    await pulumi.runtime.disconnect();
  } catch (error) {
    result.programErrors.push(error instanceof Error ? error.message : String(error));
  }

  if (engine) {
    // As `pulumi up`: a failed program or a stopped deployment deletes nothing (see `finish`).
    result.state = await engine.finish(result.programErrors[0]);
    result.errors = engine.errors;
    result.steps = engine.steps;
    result.skipped = engine.skipped;
    result.calls = engine.calls;
  }
  client?.close();
  result.registrations = log.all;
  fs.writeFileSync(request.resultFile, JSON.stringify(result, null, 2));
}

main(process.argv[2] ?? "").then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  },
);
