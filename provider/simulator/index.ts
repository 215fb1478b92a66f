/**
 * A faithful Enswitch JSON API for tests, demos and users' CI: `mailboxes/create|get|list|update|
 * delete`, `mailboxes/destinations/list|set` and `user/login` under `/api/json/`, with
 * authentication, roles, rate plans, customer scoping, `validation=1`, the published parameter tables
 * (its own reading, see `table.ts`), strict modes for what a real switch may add, a JSON state file
 * and fault injection.
 *
 * @example
 * ```ts
 * import { startSimulator } from "pulumi-enswitch/simulator";
 * const sim = await startSimulator();
 * await fetch(`${sim.url}mailboxes/create/?auth_username=admin;auth_password=admin;mailbox=1234;pin=567890`);
 * sim.store.getMailbox(1, "1234"); // { mailbox: "1234", customer: 1, ... } (never the PIN)
 * await sim.close();
 * ```
 */
import { SimulatorServer } from "./server";
import { Simulator, SimulatorOptions } from "./types";

export type { FaultPlan } from "./faults";
export type { Fixture, FixtureCustomer, FixturePerson, FixtureUser, Role } from "./fixture";
export { defaultFixture } from "./fixture";
export type { MailboxRow, MailboxRowInput } from "./store";
export { SimulatorStore, StateFileError } from "./store";
export type { RecordedRequest, Simulator, SimulatorOptions } from "./types";

/**
 * Starts a simulator on 127.0.0.1 and resolves once it listens.
 *
 * @throws StateFileError when `stateFile` exists but is not a simulator state file.
 * @throws RangeError for an invalid `pinRule` or `enswitchVersion`.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const pinRule = options.pinRule;
  if (pinRule && !(pinRule.minLength >= 1 && pinRule.maxLength >= pinRule.minLength)) {
    throw new RangeError(`Invalid pinRule ${pinRule.minLength}..${pinRule.maxLength}: need 1 <= min <= max.`);
  }
  const server = new SimulatorServer(options);
  await server.listen(options.port ?? 0);
  return server;
}
