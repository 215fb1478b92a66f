/**
 * The usual setup of a test through the real provider host: a simulator on 127.0.0.1, a Pulumi
 * project with the packed package installed, and a provider host started in it and configured for
 * the simulator. One per test file; `close()` in `afterAll` stops everything, also after a failure.
 *
 * @example
 * ```ts
 * let bed: Testbed;
 * beforeAll(async () => (bed = await startTestbed({ name: "lifecycle" })));
 * afterAll(() => bed?.close());
 * ```
 */
import { defaultFixture, startSimulator } from "../../provider/simulator";
import type { Simulator, SimulatorOptions } from "../../provider/simulator";
import { packedPackage } from "./packedPackage";
import { ProviderHost } from "./providerHost";
import { createPulumiProject, PulumiProject } from "./pulumiProject";

/** Options of {@link startTestbed}. */
export interface TestbedOptions {
  /** Project name (also names the project directory). */
  name: string;
  /** Simulator options; default fixture and a free port. */
  simulator?: SimulatorOptions;
  /**
   * Password of the fixture's `admin` login (customer 1). Default `admin`; give a distinctive one
   * when scanning for leaks, so that it cannot be confused with the username.
   */
  adminPassword?: string;
  /** Stack name. Default `test`. */
  stack?: string;
}

/** A running testbed. */
export interface Testbed {
  readonly sim: Simulator;
  readonly project: PulumiProject;
  /** The host, configured with {@link Testbed.providerConfig}. */
  readonly host: ProviderHost;
  readonly stack: string;
  /** `enswitch:url`, `enswitch:username`, `enswitch:password` for the simulator's `admin`. */
  readonly providerConfig: Record<string, string>;
  /**
   * Another host in the same project, configured with `config` (default {@link Testbed.providerConfig}).
   * The host caches the deserialized provider with its configuration, so a test of another
   * configuration needs its own host. Stopped by `close()`.
   */
  startHost(config?: Record<string, string>, env?: Record<string, string>): Promise<ProviderHost>;
  /** Stops hosts and simulator and removes the project. */
  close(): Promise<void>;
}

/** Starts simulator, project and host. */
export async function startTestbed(options: TestbedOptions): Promise<Testbed> {
  const stack = options.stack ?? "test";
  const fixture = options.simulator?.fixture ?? defaultFixture();
  const password = options.adminPassword ?? "admin";
  const admin = fixture.users.find((u) => u.username === "admin");
  if (admin) admin.password = password;

  const sim = await startSimulator({ ...options.simulator, fixture });
  let project: PulumiProject | undefined;
  const hosts: ProviderHost[] = [];
  try {
    const created = createPulumiProject({ packed: packedPackage(), name: options.name });
    project = created;
    const providerConfig = {
      "enswitch:url": sim.url,
      "enswitch:username": "admin",
      "enswitch:password": password,
    };
    const startHost = async (config = providerConfig, env?: Record<string, string>) => {
      const host = await ProviderHost.start({ projectDir: created.dir, stack, env });
      hosts.push(host);
      await host.configure(config);
      return host;
    };
    const host = await startHost();
    return {
      sim,
      project: created,
      host,
      stack,
      providerConfig,
      startHost,
      close: async () => {
        await Promise.all(hosts.map((h) => h.close()));
        await sim.close();
        created.remove();
      },
    };
  } catch (error) {
    await Promise.all(hosts.map((h) => h.close()));
    await sim.close();
    project?.remove();
    throw error;
  }
}
