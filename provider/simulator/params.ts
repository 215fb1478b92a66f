/**
 * Decoding API parameters the way Enswitch (a Perl CGI application) does: pairs separated by `;` or
 * `&`, `name=value`, `+` is a space and `%XX` a UTF-8 byte, in a query string and in a form-encoded
 * body alike. The first occurrence of a name wins. Broken escapes are an error rather than guessed
 * at, so that a client that forgets to encode `%` is caught, not silently forgiven.
 */

/** Thrown for a query string or body that cannot be decoded. */
export class MalformedRequestError extends Error {
  override name = "MalformedRequestError";
}

function decodeComponent(raw: string): string {
  const spaced = raw.replace(/\+/g, " ");
  if (/%(?![0-9A-Fa-f]{2})/.test(spaced)) {
    throw new MalformedRequestError("Malformed request: a % not followed by two hex digits.");
  }
  try {
    return decodeURIComponent(spaced);
  } catch {
    throw new MalformedRequestError("Malformed request: percent-encoded bytes that are not UTF-8.");
  }
}

/**
 * Decodes `a=1;b=2&c=%3B` into `{a: "1", b: "2", c: ";"}`; adds to `into` without overwriting.
 *
 * @example
 * ```ts
 * decodeParams("auth_username=admin;mailbox=1234"); // { auth_username: "admin", mailbox: "1234" }
 * ```
 */
export function decodeParams(
  text: string,
  into: Record<string, string> = Object.create(null) as Record<string, string>,
): Record<string, string> {
  for (const pair of text.split(/[;&]/)) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : decodeComponent(pair.slice(eq + 1));
    if (!Object.prototype.hasOwnProperty.call(into, name)) into[name] = value;
  }
  return into;
}
