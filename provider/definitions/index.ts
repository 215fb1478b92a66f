/**
 * Declarative mailbox files: load and check them, and turn them into `Mailbox` resources.
 * `import { loadDefinitions, deployMailboxFiles } from "pulumi-enswitch/definitions"`.
 */
export { MailboxFilesNotFoundError } from "./discover";
export { loadDefinitions, parseDefinitions, requireDefinitions } from "./load";
export type { DeclaredMailbox, LoadOptions, LoadResult, MailboxDefinition } from "./load";
export { describeIdentity, resourceName } from "./names";
export type { MailboxIdentity } from "./names";
export { DefinitionsError, formatLocation, formatProblem } from "./problem";
export type { DefinitionProblem, DefinitionProblemKind, SourceLocation } from "./problem";
export { choosePin, derivePin, PinConfigError, PinSeedError, SET_PIN_COMMAND } from "./pins";
export type { PinChoice, PinSources, PinSubject } from "./pins";
export { declareMailboxes, pinSourcesFromConfig } from "./declare";
export type { DeclaredResource, DeclareOptions } from "./declare";
export { deployMailboxFiles } from "./program";
export type { DeployMailboxFilesOptions, MailboxFilesOutputs } from "./program";
export { compareWithSwitch } from "./drift";
export type { DriftEntry, DriftReport, DriftStatus, FieldChange } from "./drift";
export { renderMailboxFile } from "./render";
export type { RenderInput } from "./render";
