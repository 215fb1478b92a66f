import { EnswitchConfigurationError } from "../../provider/enswitch/errors";
import {
  DEFAULT_SETTINGS,
  isLoopbackHost,
  realAttemptTimer,
  resolveSettings,
} from "../../provider/enswitch/settings";

const base = { url: "https://switch.example.com/api/json/", username: "admin", password: "Sup3r-Secret" };

function refusal(settings: Parameters<typeof resolveSettings>[0]): EnswitchConfigurationError {
  try {
    resolveSettings(settings);
  } catch (error) {
    expect(error).toBeInstanceOf(EnswitchConfigurationError);
    return error as EnswitchConfigurationError;
  }
  throw new Error("expected a configuration error");
}

describe("resolveSettings", () => {
  it("applies the documented defaults", () => {
    const s = resolveSettings(base);
    expect(s).toMatchObject({
      method: "POST",
      timeoutMs: DEFAULT_SETTINGS.timeoutMs,
      retries: 4,
      maxConcurrency: 16,
      useToken: false,
    });
    expect(s.timeoutMs).toBe(15_000);
    expect(s.attemptTimer).toBe(realAttemptTimer);
  });

  it("keeps a prefix mount and adds the trailing slash", () => {
    expect(resolveSettings({ ...base, url: "https://h.example/local/api/json" }).baseUrl.toString()).toBe(
      "https://h.example/local/api/json/",
    );
  });

  it("refuses plain http to a remote host, saying why and how to allow it", () => {
    const error = refusal({ ...base, url: "http://switch.example.com/api/json/" });
    expect(error.message).toMatch(/unencrypted/);
    expect(error.message).toMatch(/allowInsecureHttp/);
    expect(error.message).not.toContain(base.password);
    expect(
      resolveSettings({ ...base, url: "http://switch.example.com/api/json/", allowInsecureHttp: true })
        .baseUrl.protocol,
    ).toBe("http:");
  });

  it("allows plain http to loopback", () => {
    for (const host of ["127.0.0.1", "localhost", "[::1]", "127.1.2.3"]) {
      expect(() => resolveSettings({ ...base, url: `http://${host}:8080/api/json/` })).not.toThrow();
    }
    expect(isLoopbackHost("128.0.0.1")).toBe(false);
    expect(isLoopbackHost("localhost.evil.com")).toBe(false);
  });

  it("refuses credentials inside the URL without repeating them", () => {
    const error = refusal({ ...base, url: "https://admin:Url-Pa55@switch.example.com/api/json/" });
    expect(error.message).toMatch(/contains credentials/);
    expect(error.message).not.toContain("Url-Pa55");
  });

  it("refuses missing or malformed settings before anything is sent", () => {
    expect(refusal({ ...base, url: "" }).message).toMatch(/no Enswitch URL/);
    expect(refusal({ ...base, url: "not a url" }).message).toMatch(/not a valid absolute URL/);
    expect(refusal({ ...base, url: "ftp://h/api/json/" }).message).toMatch(/https/);
    expect(refusal({ ...base, url: "https://h/api/json/?x=1" }).message).toMatch(/query string/);
    expect(refusal({ ...base, password: "" }).message).toMatch(/enswitch:password/);
    expect(refusal({ ...base, username: "" }).message).toMatch(/enswitch:username/);
    expect(refusal({ ...base, timeoutMs: 0 }).message).toMatch(/timeoutMs/);
    expect(refusal({ ...base, retries: -1 }).message).toMatch(/retries/);
  });
});
