/**
 * The test harness that reproduces the Pulumi engine without the CLI (see `/work/shared/pulumi-notes.md`).
 *
 * - {@link packedPackage} / {@link createPulumiProject}: the package as users get it (`npm pack`, once per
 *   run via `globalSetup.ts`), extracted into `node_modules/` of a throwaway Pulumi project under `.state/`.
 * - {@link ProviderHost}: `@pulumi/pulumi/cmd/dynamic-provider` started as the engine starts it (project
 *   cwd, `PULUMI_NODEJS_PROJECT`), driven over gRPC: configure, check, diff, create, read, update, delete;
 *   its output and peak RSS for scans and benchmarks.
 * - {@link serializeInChild} / {@link recordMailboxes}: a program run in a plain `node` child under
 *   `setMocks`, returning what the engine would receive per registration (`__provider` made by the real
 *   class, secrets wrapped, `additionalSecretOutputs`).
 * - {@link runProgram} with the {@link EngineStandIn}: a whole program deployed through the real host
 *   (`pulumi up`, `preview`, `refresh`, second runs from the first run's state), returning steps and state.
 * - {@link startTestbed}: simulator + project + configured host in one call, with `close()` for `afterAll`.
 * - {@link findLeaks}: secrets in clear in text or in stored blobs.
 *
 * @example
 * ```ts
 * let bed: Testbed;
 * beforeAll(async () => (bed = await startTestbed({ name: "mine" })));
 * afterAll(() => bed?.close());
 * it("deploys", async () => {
 *   bed.project.writeFile("index.js", mailboxProgram([{ name: "a", args: { mailbox: "4100", pin: "2468" } }]));
 *   const run = await runProgram({ project: bed.project, host: bed.host });
 *   expect(run.steps.map((s) => s.op)).toEqual(["create"]);
 * });
 * ```
 */
export * from "./compiledSupport";
export * from "./engineStandIn";
export * from "./mailboxProgram";
export * from "./packedPackage";
export * from "./programProtocol";
export * from "./programRun";
export * from "./propertyValues";
export * from "./providerClient";
export * from "./providerHost";
export * from "./pulumiProject";
export * from "./registrationLog";
export * from "./repoPaths";
export * from "./secretScan";
export * from "./testbed";
