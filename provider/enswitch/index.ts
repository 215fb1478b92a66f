/** The Enswitch JSON API client: the public surface of `provider/enswitch`. No Pulumi here. */
export { EnswitchClient } from "./client";
export type { CallOptions, ClientStats, WriteOptions } from "./client";
export type { EnswitchAnswer, EnswitchResponseEntry } from "./envelope";
export { DEFAULT_SETTINGS, isLoopbackHost } from "./settings";
export type { AttemptTimer, ConnectionSettings } from "./settings";
export { closeAgents } from "./pool";
export * from "./errors";
export { fieldName, wireName } from "./names";
