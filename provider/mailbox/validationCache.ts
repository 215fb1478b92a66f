/**
 * Answers of the switch to `validation=1` calls, remembered for the life of the provider host process
 * so that `diff` can confirm the very call `check` already validated without asking again.
 *
 * The key is a SHA-256 of the connection, the function, the target and the sorted parameters, so a
 * PIN is part of what must match but is never kept in clear; the stored failures are the switch's
 * messages after redaction. Bounded: the oldest entries go first.
 */
import { createHash } from "node:crypto";
import { FieldFailure } from "./schema";

/** What a dry run said: no failures means "would pass". */
export type ValidationOutcome = readonly FieldFailure[];

/** What a dry run was about. */
export interface ValidationRequest {
  /** Identifies the switch and login (not the password), e.g. `staging|https://…|admin`. */
  connection: string;
  /** `mailboxes/create` or `mailboxes/update`. */
  fn: string;
  /** For an update, the mailbox and customer addressed (`""` when the switch picks the customer). */
  target: string;
  /** The wire parameters. */
  params: Record<string, string>;
}

/** A small in-memory map of dry-run answers. */
export class ValidationCache {
  private readonly entries = new Map<string, ValidationOutcome>();
  private hitCount = 0;

  constructor(private readonly capacity = 500) {}

  /** The remembered outcome of an identical request, if any. */
  get(request: ValidationRequest): ValidationOutcome | undefined {
    const found = this.entries.get(keyOf(request));
    if (found !== undefined) this.hitCount++;
    return found;
  }

  /** Remembers an outcome. */
  set(request: ValidationRequest, outcome: ValidationOutcome): void {
    const key = keyOf(request);
    this.entries.delete(key);
    this.entries.set(key, outcome);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** How many lookups were answered from memory (for tests and logs). */
  get hits(): number {
    return this.hitCount;
  }

  /** Forgets everything (new configuration). */
  clear(): void {
    this.entries.clear();
  }
}

function keyOf(request: ValidationRequest): string {
  const params = Object.keys(request.params)
    .sort()
    .map((name) => [name, request.params[name]]);
  return createHash("sha256")
    .update(JSON.stringify([request.connection, request.fn, request.target, params]))
    .digest("hex");
}
