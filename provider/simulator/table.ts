/**
 * The simulator's own reading of the parameter table of `mailboxes/create` (the seed, Enswitch
 * 3.13/3.14) and `mailboxes/update` (the guides 3.13–4.4): each field's type as the page gives it,
 * its documented values where the page lists them, and its default. Written from the pages alone, on
 * purpose apart from the provider's schema: a rule either side got wrong then fails a test instead of
 * passing on both. Where a page is silent, anything of the documented type is accepted.
 */

/**
 * A field's type: free text (`"string"`), decimal text (`"integer"`), an "1 to …, 0 not to" integer
 * (`"flag"`), or a string from a documented list.
 */
export type ParamType = "string" | "integer" | "flag" | readonly string[];

/** One field: its type and the seed's default (`null` for "None."; `undefined` for "Customer default."). */
export interface Param {
  type: ParamType;
  default?: string | number | null;
}

/** The Enswitch version the simulator behaves as when none is given. */
export const DEFAULT_ENSWITCH_VERSION = "3.14";

/** The major version of a version string such as `"3.14"` or `"4.4"`. @throws RangeError otherwise. */
export function majorVersion(version: string): number {
  const major = Number(/^([0-9]+)(\.[0-9x]+)*$/.exec(version)?.[1]);
  if (!(major >= 1)) throw new RangeError(`Invalid enswitchVersion "${version}": use e.g. "3.14" or "4.4".`);
  return major;
}

const NOTIFY_FOR_3 = ["voicemail", "fax", "voicemail_fax", ""] as const;

/**
 * The mailbox fields of `mailboxes/create` and `mailboxes/update`, in the seed's order, for a major
 * version. Not in it: `mailbox`, `customer`, `pin`, `copy_pin` and `validation`, which the API
 * functions treat themselves.
 */
export function mailboxParams(major: number): Record<string, Param> {
  return {
    callerid: { type: "string", default: "" },
    description: { type: "string", default: "" },
    // "Destination type": the page lists no values, so any string is one.
    dtype: { type: "string", default: "hangup" },
    dnumber: { type: "string", default: null },
    envelope: { type: "flag", default: 0 },
    notify_dnumber: { type: "string", default: "" },
    notify_email: { type: ["owner", "owner_wav", ""], default: "owner_wav" },
    // 4.x adds "all" and "text" and makes "all" the default (the 4.0–4.4 guides).
    notify_for:
      major >= 4
        ? { type: [...NOTIFY_FOR_3, "all", "text"], default: "all" }
        : { type: NOTIFY_FOR_3, default: "voicemail_fax" },
    notify_ltype: { type: ["voicemailbox", "voicemailboxpin", "voicemaillogin"], default: "voicemailbox" },
    notify_message: { type: ["owner", ""], default: "" },
    notify_only: { type: "flag", default: 0 },
    owner: { type: "integer", default: 0 },
    pager: { type: "string", default: "" },
    pager_attach: { type: "flag", default: 0 },
    panel: { type: "flag", default: 0 },
    play: { type: ["oldest", "newest"], default: "oldest" },
    saycid: { type: "flag", default: 1 },
    sayduration: { type: "flag", default: 1 },
    temporary_active: { type: "flag", default: 1 },
    timezone: { type: "string" },
  };
}

/** Why `value` is not of `type`, or `undefined` when it is. Never echoes the value. */
export function typeProblem(type: ParamType, value: string): string | undefined {
  if (type === "string") return undefined;
  if (type === "integer") return /^-?[0-9]+$/.test(value) ? undefined : "must be a whole number";
  if (type === "flag") return value === "0" || value === "1" ? undefined : "must be 1 or 0";
  return type.includes(value) ? undefined : `must be one of ${type.map((v) => `"${v}"`).join(", ")}`;
}

/** A received value as the row holds it: integers and flags as numbers, the rest as text. */
export function stored(type: ParamType, value: unknown): string | number | null {
  if (type !== "integer" && type !== "flag") return value === null ? null : String(value);
  const n = Number(value); // true and false too: 1 and 0
  return Number.isFinite(n) ? n : 0;
}
