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
import type { PropertyMap } from "../support/propertyValues";
import type { Registration } from "../support/registrationLog";

/**
 * What a null provider adds to the payload (`--null-payload ours`): the properties the mailbox
 * provider's check adds to the inputs, and its create to the outputs, so that the null provider moves
 * as many bytes through gRPC and protobuf as the real one while running none of its code.
 */
export interface NullPayload {
  inputs: PropertyMap;
  outputs: PropertyMap;
}

/** Module source of the null provider, as `__provider` holds it; `fill` pads its payload. */
export function nullProviderSource(fill: NullPayload = { inputs: {}, outputs: {} }): string {
  return `const FILL_IN = ${JSON.stringify(fill.inputs)}, FILL_OUT = ${JSON.stringify(fill.outputs)};
exports.handler = () => ({
  check: async (olds, news) => ({ inputs: Object.assign({}, FILL_IN, news) }),
  diff: async () => ({ changes: false }),
  create: async (inputs) => ({ id: String(inputs.mailbox), outs: Object.assign({}, FILL_OUT, inputs) }),
  read: async (id, props) => ({ id, props }),
  update: async (id, olds, news) => ({ outs: news }),
  delete: async () => undefined,
});
`;
}

/** The module source of the null provider with nothing added: check returns its inputs, create echoes. */
export const NULL_PROVIDER = nullProviderSource();

/** The same registrations with the null provider in `__provider`. */
export function withNullProvider(registrations: readonly Registration[], fill?: NullPayload): Registration[] {
  const source = fill ? nullProviderSource(fill) : NULL_PROVIDER;
  return registrations.map((r) => ({ ...r, inputs: { ...r.inputs, __provider: source } }));
}

/**
 * The payload the mailbox provider added to one mailbox (from the engine's state after its first
 * deployment): every input and output but `__provider` and what each mailbox declares itself.
 */
export function payloadOf(resource: { inputs: PropertyMap; outputs: PropertyMap }): NullPayload {
  const rest = (props: PropertyMap) => {
    const { __provider, mailbox, pin, description, ...others } = props;
    void [__provider, mailbox, pin, description];
    return others;
  };
  return { inputs: rest(resource.inputs), outputs: rest(resource.outputs) };
}
