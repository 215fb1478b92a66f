/**
 * The `auth_token` session of Enswitch 4.1+: one login shared by every concurrent call, reused until
 * the switch refuses it with a 401, then replaced by one new login.
 */

/** Holds the current token; concurrent callers share a single login in flight. */
export class TokenSession {
  private current?: Promise<string>;

  /** @param login performs `user/login` with `token=1` and resolves with the token. */
  constructor(private readonly login: () => Promise<string>) {}

  /** The current token, logging in first when there is none. */
  get(): Promise<string> {
    if (!this.current) {
      const attempt = this.login();
      this.current = attempt;
      // A failed login is not cached: the next call tries again.
      attempt.catch(() => {
        if (this.current === attempt) this.current = undefined;
      });
    }
    return this.current;
  }

  /**
   * Forgets `token` after a 401. A token that was already replaced (another call saw the 401 first)
   * is left alone, so one expiry leads to one login, not one per call in flight.
   */
  async invalidate(token: string): Promise<void> {
    const held = this.current;
    if (!held) return;
    const value = await held.catch(() => undefined);
    if (value === token && this.current === held) this.current = undefined;
  }
}
