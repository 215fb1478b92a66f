/**
 * The null dynamic provider: `check` returns its inputs, `diff` says nothing changed, `create` and
 * `update` echo, `read` returns what it was given, `delete` does nothing. Driven through the same
 * Pulumi provider host by the same engine model as the mailbox provider, its time is Pulumi's own floor
 * for a scenario: gRPC, the host's closure loading and property (de)serialisation, the engine stand-in,
 * and no switch at all.
 *
 * A dynamic resource carries its provider as module source in `__provider`, which the host loads with
 * `require-from-string` (sdk/nodejs/cmd/dynamic-provider/index.ts, `getProvider`): swapping that input
 * is all it takes to run the same fleet through another provider.
 */
import type { Registration } from "../support/registrationLog";

/** Module source of the null provider, as `__provider` holds it. */
export const NULL_PROVIDER = `exports.handler = () => ({
  check: async (olds, news) => ({ inputs: news }),
  diff: async () => ({ changes: false }),
  create: async (inputs) => ({ id: String(inputs.mailbox), outs: inputs }),
  read: async (id, props) => ({ id, props }),
  update: async (id, olds, news) => ({ outs: news }),
  delete: async () => undefined,
});
`;

/** The same registrations with the null provider in `__provider`. */
export function withNullProvider(registrations: readonly Registration[]): Registration[] {
  return registrations.map((r) => ({ ...r, inputs: { ...r.inputs, __provider: NULL_PROVIDER } }));
}
