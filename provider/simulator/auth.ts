/**
 * Authentication: `auth_username` + `auth_password` on every call, or an `auth_token` obtained from
 * `user/login` with `token=1` (Enswitch 4.1+). Tokens look like JWTs (HS256 over a per-simulator
 * random key) and expire; a restarted simulator does not know old tokens, as a real switch would
 * after a key rotation: the client must log in again on a 401.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { Fixture, FixtureUser } from "./fixture";

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

/** Issues and checks credentials against a fixture. */
export class Authenticator {
  private readonly key = randomBytes(32);

  constructor(
    private readonly fixture: Fixture,
    private readonly tokenTtlSeconds: number,
    private readonly now: () => number,
  ) {}

  /** The login these parameters authenticate, or `undefined` (answer 401). */
  authenticate(params: Record<string, string>): FixtureUser | undefined {
    const token = params.auth_token;
    if (token !== undefined && token !== "") return this.verifyToken(token);
    return this.login(params.auth_username, params.auth_password);
  }

  /** The login with this username and password, or `undefined`. */
  login(username: string | undefined, password: string | undefined): FixtureUser | undefined {
    if (username === undefined || password === undefined) return undefined;
    return this.fixture.users.find((u) => u.username === username && safeEqual(u.password, password));
  }

  /**
   * A new token for `user` and the fields `user/login` adds with it: `auth_token_expiry` in seconds
   * from now, `auth_token_expires` as a Unix timestamp (the 4.1+ "Authentication tokens" page).
   */
  issueToken(user: FixtureUser): Record<string, string | number> {
    const expires = Math.floor(this.now() / 1000) + this.tokenTtlSeconds;
    const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
    const jti = randomBytes(8).toString("hex");
    const payload = b64url(JSON.stringify({ sub: user.username, exp: expires, jti }));
    return {
      auth_token: `${header}.${payload}.${this.sign(`${header}.${payload}`)}`,
      auth_token_expiry: this.tokenTtlSeconds,
      auth_token_expires: expires,
    };
  }

  private verifyToken(token: string): FixtureUser | undefined {
    const parts = token.split(".");
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    if (!safeEqual(this.sign(`${header}.${payload}`), signature)) return undefined;
    // Signed with this simulator's key, so the payload is one `issueToken` wrote.
    const json = Buffer.from(payload, "base64url").toString("utf8");
    const claims = JSON.parse(json) as { sub: string; exp: number };
    if (this.now() / 1000 >= claims.exp) return undefined;
    return this.fixture.users.find((u) => u.username === claims.sub);
  }

  private sign(data: string): string {
    return createHmac("sha256", this.key).update(data).digest("base64url");
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
