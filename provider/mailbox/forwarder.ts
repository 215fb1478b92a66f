/**
 * The dynamic provider object that `Mailbox` hands to `pulumi.dynamic.Resource`, which serializes it
 * into the `__provider` input and output of every mailbox in state. It holds no logic and no values:
 * each method loads the installed package **by name, when it is called**, in the provider host, and
 * passes its arguments on. So state never freezes provider code (upgrading the package upgrades
 * refresh and destroy too), never holds credentials, and stays small.
 *
 * How it serializes (by reference when installed, by value from this repository):
 * ARCHITECTURE.md, "How `__provider` stays small and empty". Keep this file free of runtime imports:
 * everything it imported would be captured too.
 */
import type { ConfigSource } from "./connections";
import type { PropertyMap } from "./inputs";
import type { MailboxProvider } from "./provider";
import type * as pulumi from "@pulumi/pulumi";

/** The module with the real handlers, by package name. */
const PROVIDER_MODULE = "pulumi-enswitch/dist/mailbox/provider.js";

/**
 * The provider of the host process, loaded on first call and resolved as a file of the project would
 * resolve it (the host's cwd is the project directory). A plain `require` would not do when this text
 * is written out by value: the host evaluates it as a module without a file, from which a package
 * cannot find itself by name (this repository running its own program).
 */
const handlers = (): MailboxProvider => {
  const { createRequire } = require("node:module") as typeof import("node:module");
  return (createRequire(`${process.cwd()}/`)(PROVIDER_MODULE) as { provider: MailboxProvider }).provider;
};

/** Forwards `configure`: stack config for the host's connections. */
export const configure = (req: { config: ConfigSource }): Promise<void> => handlers().configure(req);

/** Forwards `check`. */
export const check = (olds: PropertyMap, news: PropertyMap): Promise<pulumi.dynamic.CheckResult> =>
  handlers().check(olds, news);

/** Forwards `diff`. */
export const diff = (id: string, olds: PropertyMap, news: PropertyMap): Promise<pulumi.dynamic.DiffResult> =>
  handlers().diff(id, olds, news);

/** Forwards `create`. */
export const create = (inputs: PropertyMap): Promise<pulumi.dynamic.CreateResult> =>
  handlers().create(inputs);

/** Forwards `read`. */
export const read = (id: string, props: PropertyMap): Promise<pulumi.dynamic.ReadResult> =>
  handlers().read(id, props);

/** Forwards `update`. */
export const update = (
  id: string,
  olds: PropertyMap,
  news: PropertyMap,
): Promise<pulumi.dynamic.UpdateResult> => handlers().update(id, olds, news);

/** Forwards `delete` (a reserved word, hence the alias). */
const remove = (id: string, props: PropertyMap): Promise<void> => handlers().delete(id, props);
export { remove as delete };
