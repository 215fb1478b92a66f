/**
 * Declarative mailbox files: load and check them, and turn them into `Mailbox` resources.
 * `import { loadDefinitions, deployMailboxFiles } from "pulumi-enswitch/definitions"`.
 */
export { MailboxFilesNotFoundError } from "./discover";
export { loadDefinitions, parseDefinitions, requireDefinitions } from "./load";
export type { DeclaredMailbox, LoadOptions, LoadResult, MailboxDefinition } from "./load";
export { DefinitionsError, formatProblem } from "./problem";
export type { DefinitionProblem, DefinitionProblemKind, SourceLocation } from "./problem";
export { PinConfigError, PinSeedError } from "./pins";
export { declareMailboxes, pinSourcesFromConfig } from "./declare";
export type { DeclaredResource, DeclareOptions } from "./declare";
export { deployMailboxFiles } from "./declare";
export type { DeployMailboxFilesOptions, MailboxFilesOutputs } from "./declare";
