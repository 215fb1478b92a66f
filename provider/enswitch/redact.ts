/**
 * Removes secrets (password, auth token, PINs) from any text that may end up in an error message:
 * the start of an unexpected body, a socket error, the switch's own message.
 */

/** Replaces every occurrence of each secret, raw and form/URL-encoded, with `[redacted]`. */
export function redactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const needles = new Set<string>();
  for (const secret of secrets) {
    // Very short values would blank out ordinary words and numbers without protecting anything.
    if (!secret || secret.length < 3) continue;
    needles.add(secret);
    needles.add(encodeURIComponent(secret));
    needles.add(new URLSearchParams({ s: secret }).toString().slice(2));
  }
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const needle of ordered) out = out.split(needle).join("[redacted]");
    return out;
  };
}
