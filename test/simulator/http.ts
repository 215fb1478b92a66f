/** Test helpers: plain `fetch` calls to a simulator (deliberately not the project's client). */

/** The parsed answer of an API call. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: { responses: { code: string; key: string; message: string }[]; data?: unknown };
}

/** Credentials of the default fixture's administrator of customer 1. */
export const ADMIN = { auth_username: "admin", auth_password: "admin" } as const;

async function read(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: Answer["json"];
  try {
    json = JSON.parse(text) as Answer["json"];
  } catch {
    json = { responses: [] };
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** POSTs `params` form-encoded to `<url><fn>/`. */
export async function post(url: string, fn: string, params: Record<string, string>): Promise<Answer> {
  return read(
    await fetch(`${url}${fn}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params).toString(),
    }),
  );
}

/** GETs `<url><path>` as given (the caller builds and encodes the query string). */
export async function getRaw(url: string, path: string): Promise<Answer> {
  return read(await fetch(`${url}${path}`));
}

/** The codes of every `responses` entry. */
export function codes(answer: Answer): string[] {
  return answer.json.responses.map((r) => r.code);
}

/** The keys of every `responses` entry. */
export function keys(answer: Answer): string[] {
  return answer.json.responses.map((r) => r.key);
}
