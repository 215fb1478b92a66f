import { TokenSession } from "../../provider/enswitch/token";

describe("TokenSession", () => {
  it("shares one login between concurrent callers and reuses the token", async () => {
    let logins = 0;
    const session = new TokenSession(async () => `t${++logins}`);
    expect(await Promise.all([session.get(), session.get(), session.get()])).toEqual(["t1", "t1", "t1"]);
    expect(await session.get()).toBe("t1");
    expect(logins).toBe(1);
  });

  it("logs in again once after the token is invalidated, however many callers saw the 401", async () => {
    let logins = 0;
    const session = new TokenSession(async () => `t${++logins}`);
    await session.get();
    await Promise.all([session.invalidate("t1"), session.invalidate("t1")]);
    expect(await session.get()).toBe("t2");
    await session.invalidate("t1"); // stale: already replaced
    expect(await session.get()).toBe("t2");
    expect(logins).toBe(2);
  });

  it("does not cache a failed login", async () => {
    let logins = 0;
    const session = new TokenSession(async () => {
      if (++logins === 1) throw new Error("refused");
      return "ok";
    });
    await expect(session.get()).rejects.toThrow("refused");
    expect(await session.get()).toBe("ok");
  });
});
