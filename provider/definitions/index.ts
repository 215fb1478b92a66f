/**
 * Declarative mailbox files: load and check them, and turn them into `Mailbox` resources.
 * `import { loadDefinitions, deployMailboxFiles } from "pulumi-enswitch/definitions"`.
 */
export { findMailboxFiles, MailboxFilesNotFoundError, MAILBOX_FILE_EXTENSIONS } from "./discover";
export { loadDefinitions, parseDefinitions, requireDefinitions } from "./load";
export type { DeclaredMailbox, LoadOptions, LoadResult, MailboxDefinition } from "./load";
export { byNumber, describeIdentity, identityKey, resourceName } from "./names";
export type { MailboxIdentity } from "./names";
export { compareLocations, DefinitionsError, formatLocation, formatProblem, sortProblems } from "./problem";
export type { DefinitionProblem, DefinitionProblemKind, SourceLocation } from "./problem";
export {
  choosePin,
  DEFAULT_DERIVED_PIN_LENGTH,
  DERIVED_PIN_LENGTHS,
  derivePin,
  MIN_PIN_SEED_LENGTH,
  PinConfigError,
  PinSeedError,
  SET_PIN_COMMAND,
} from "./pins";
export type { PinChoice, PinSources, PinSubject } from "./pins";
export { declareMailboxes, pinSourcesFromConfig } from "./declare";
export type { DeclaredResource, DeclareOptions } from "./declare";
export { DEFAULT_MAILBOX_DIR, deployMailboxFiles } from "./program";
export type { DeployMailboxFilesOptions, MailboxFilesOutputs } from "./program";
export { compareWithSwitch, fieldChanges } from "./drift";
export type { DriftEntry, DriftReport, DriftStatus, FieldChange } from "./drift";
export { renderMailboxFile } from "./render";
export type { RenderInput } from "./render";
