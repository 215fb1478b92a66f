/**
 * Parameter names: the API's snake_case and the camelCase that users write. The rule is mechanical
 * (`notify_email` ↔ `notifyEmail`; `callerid`, `dtype`, `saycid` have no underscore and stay as they
 * are), so it lives here, below the mailbox schema, for the client's errors to use too.
 */

/** `notifyEmail` → `notify_email`. */
export function wireName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `notify_email` → `notifyEmail`. */
export function fieldName(wire: string): string {
  return wire.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
