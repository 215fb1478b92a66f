/**
 * Removes secrets (password, auth token, PINs) from any text that may end up in an error message:
 * the start of an unexpected body, a socket error, the switch's own message.
 */

/** Longest first, so that a secret containing another is replaced whole. */
function longestFirst(needles: Iterable<string>): string[] {
  return [...new Set(needles)].sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of each secret, raw and form/URL-encoded, with `[redacted]`. */
export function redactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const given = secrets.filter((s): s is string => s !== undefined && s !== "");
  const raw = longestFirst(given.filter((s) => s.length >= 3));
  // A very short value (the switch decides PIN lengths, so a 2-digit PIN can reach it) is replaced only
  // where it stands alone, so that it still never shows while ordinary words and numbers stay readable.
  const short = given.filter((s) => s.length < 3).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const alone =
    short.length > 0
      ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${short.join("|")})(?![\\p{L}\\p{N}])`, "gu")
      : undefined;
  let withEncoded: string[] | undefined;
  return (input: string) => {
    const text = alone ? input.replace(alone, "[redacted]") : input;
    if (raw.length === 0) return text;
    // An encoded form that differs from the secret holds a "%" or a "+": without either in the
    // text, only the raw secrets can occur. A redactor is built per call, so this stays cheap.
    const needles =
      text.includes("%") || text.includes("+")
        ? (withEncoded ??= longestFirst(
            raw.flatMap((s) => [s, encodeURIComponent(s), new URLSearchParams({ s }).toString().slice(2)]),
          ))
        : raw;
    let out = text;
    for (const needle of needles) out = out.split(needle).join("[redacted]");
    return out;
  };
}
