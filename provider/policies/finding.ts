/** What a rule of this library reports. */

/** One rule broken by one mailbox. */
export interface Finding {
  /** The camelCase property at fault, e.g. `notifyOnly`; absent when no single property is. */
  property?: string;
  /** What is wrong and how to fix it. Never contains a PIN. */
  message: string;
}

/** A finding of a stack policy, attached to one resource. */
export interface ResourceFinding extends Finding {
  /** The resource's name. */
  resource: string;
  /** The resource's URN (empty outside the engine). */
  urn: string;
}
