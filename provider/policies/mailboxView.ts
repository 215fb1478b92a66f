/**
 * A mailbox as a policy sees it: the props of a `Mailbox` resource, with the schema's defaults for
 * what the program left out, and unknown values set apart.
 */
import { mailboxSchemas, type MailboxField, type ResourceFields } from "../mailbox/schema";
import { isUnknownValue, rawProps } from "./unknown";

/**
 * Returned instead of a value when a rule must not judge the property: its value is unknown during
 * preview, or it has the wrong type (the provider's `check` reports that, with the schema's message).
 */
export const SKIP: unique symbol = Symbol("skip");

/** A property's value for a rule: the value, `undefined` (omitted, no default), or {@link SKIP}. */
export type Judged<T> = T | undefined | typeof SKIP;

type Kind = "string" | "number" | "boolean";
type KindType = { string: string; number: number; boolean: boolean };

/**
 * Read access to one mailbox's props for policy rules.
 *
 * `given` is what the program set; `effective` also fills in the schema's default, because an omitted
 * `notifyEmail` means `"owner_wav"` on the switch and an omitted `owner` means 0.
 *
 * @example
 * ```ts
 * const view = MailboxView.of(args.props);
 * view.effective("owner", "number"); // 0 when the program omitted owner
 * view.given("timezone", "string"); // undefined when omitted, SKIP when unknown
 * ```
 */
export class MailboxView {
  private constructor(private readonly raw: Record<string, unknown>) {}

  /** A view of the props a policy receives (proxied by `@pulumi/policy` or plain). */
  static of(props: object): MailboxView {
    return new MailboxView(rawProps(props));
  }

  /** True when the property is the engine's "unknown during preview" value. */
  isUnknown(property: string): boolean {
    return isUnknownValue(this.raw[property]);
  }

  /** The value the program set, if it has the expected type. */
  given<K extends Kind>(property: MailboxField | keyof ResourceFields, kind: K): Judged<KindType[K]> {
    const value = this.raw[property];
    if (value === undefined || value === null) return undefined;
    if (isUnknownValue(value) || typeof value !== kind) return SKIP;
    return value as KindType[K];
  }

  /** The value the mailbox will have: as given, else the schema's default (`undefined` if none). */
  effective<K extends Kind>(field: MailboxField, kind: K): Judged<KindType[K]> {
    const given = this.given(field, kind);
    if (given !== undefined) return given;
    const fallback = schemaDefault(field);
    return typeof fallback === kind ? (fallback as KindType[K]) : undefined;
  }
}

/** The schema's default for a field: what the switch assumes when the parameter is left out. */
export function schemaDefault(field: MailboxField): unknown {
  const result = mailboxSchemas().fields[field].safeParse(undefined);
  return result.success ? result.data : undefined;
}
