/**
 * Stack config to connection settings: the default connection with its environment fallback, named
 * profiles in structured config, and errors that name the exact `pulumi config set` command without
 * ever repeating a value.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CLI_SETTINGS, envName, flagName } from "../../provider/cli/environment";
import { EnswitchConfigurationError } from "../../provider/enswitch/errors";
import { DEFAULT_SETTINGS, resolveSettings } from "../../provider/enswitch/settings";
import { Connections, SETTING_KEYS } from "../../provider/mailbox/connections";
import { isEnswitch4 } from "../../provider/mailbox/schema";

const PASSWORD = "Pw;9&zq=Lk%4";

/** A complete default connection, and a complete profile, for the settings added to them. */
const base = {
  "enswitch:url": "https://switch.example.com/api/json/",
  "enswitch:username": "admin",
  "enswitch:password": PASSWORD,
};
const profile = { url: "https://staging.example.com/api/json/", username: "admin", password: PASSWORD };

function connections(values: Record<string, unknown>, env: Record<string, string> = {}): Connections {
  return new Connections({ get: (key) => values[key] }, env);
}

function configError(run: () => unknown): EnswitchConfigurationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EnswitchConfigurationError);
    return error as EnswitchConfigurationError;
  }
  throw new Error("expected a configuration error");
}

describe("the default connection", () => {
  it("comes from enswitch:url, enswitch:username and enswitch:password, with typed options", () => {
    const resolved = connections({
      "enswitch:url": "https://switch.example.com/api/json/",
      "enswitch:username": "admin",
      "enswitch:password": PASSWORD,
      "enswitch:method": "get",
      "enswitch:useToken": "true",
      "enswitch:version": "4.4",
      "enswitch:retries": "2",
    }).resolve(undefined);
    expect(resolved.settings).toEqual({
      url: "https://switch.example.com/api/json/",
      username: "admin",
      password: PASSWORD,
      method: "GET",
      useToken: true,
      retries: 2,
    });
    expect(resolved.enswitchVersion).toBe("4.4");
  });

  it("falls back to the ENSWITCH_* environment, setting by setting", () => {
    const resolved = connections(
      { "enswitch:username": "ops" },
      {
        ENSWITCH_URL: "https://env.example.com/api/json/",
        ENSWITCH_USERNAME: "admin",
        ENSWITCH_PASSWORD: "x1y2z3",
      },
    ).resolve(undefined);
    expect(resolved.settings).toMatchObject({ url: "https://env.example.com/api/json/", username: "ops" });
  });

  it("names every missing setting and its command, and no value", () => {
    const error = configError(() =>
      connections({ "enswitch:url": "https://secret-host.example.com/api/json/" }).resolve(undefined),
    );
    expect(error.message).toContain("pulumi config set enswitch:username <login>");
    expect(error.message).toContain("pulumi config set --secret enswitch:password <password>");
    expect(error.message).not.toContain("enswitch:url ");
    expect(error.message).not.toContain("secret-host");
  });

  it("rejects a malformed flag without echoing it", () => {
    const error = configError(() =>
      connections({
        "enswitch:url": "https://switch.example.com/api/json/",
        "enswitch:username": "admin",
        "enswitch:password": PASSWORD,
        "enswitch:allowInsecureHttp": PASSWORD,
      }).resolve(undefined),
    );
    expect(error.message).toContain("enswitch:allowInsecureHttp must be true or false");
    expect(error.message).not.toContain(PASSWORD);
  });
});

describe("profiles in enswitch:connections", () => {
  const profiles = {
    staging: { url: "https://staging.example.com/api/json/", username: "admin", password: PASSWORD },
    prod: { url: "https://prod.example.com/api/json/", username: "admin", version: "4.1" },
  };

  it("are read from an object or from JSON text, secrets inside unwrapped", () => {
    const wrapped = {
      staging: {
        ...profiles.staging,
        password: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: PASSWORD },
      },
    };
    for (const value of [profiles, JSON.stringify(wrapped)]) {
      const resolved = connections({ "enswitch:connections": value }).resolve("staging");
      expect(resolved.profile).toBe("staging");
      expect(resolved.settings.password).toBe(PASSWORD);
    }
  });

  it("use the stack-wide version unless they set their own", () => {
    const c = connections({ "enswitch:connections": profiles, "enswitch:version": "3.14" });
    expect(c.enswitchVersion("staging")).toBe("3.14");
    expect(c.enswitchVersion("prod")).toBe("4.1");
    expect(c.enswitchVersion(undefined)).toBe("3.14");
  });

  it("read a version given as a number (structured config) the same way as text, for check and for the client", () => {
    const numeric = {
      v4: { ...profiles.staging, version: 4 },
      v3: { ...profiles.staging },
    };
    const c = connections({ "enswitch:connections": numeric, "enswitch:version": 3 });
    expect(c.enswitchVersion("v4")).toBe("4");
    expect(c.resolve("v4").enswitchVersion).toBe("4");
    expect(isEnswitch4(c.enswitchVersion("v4"))).toBe(true);
    expect(c.enswitchVersion("v3")).toBe("3");
    expect(c.enswitchVersion(undefined)).toBe("3");
  });

  it("name the --path --secret command for a missing password", () => {
    const error = configError(() => connections({ "enswitch:connections": profiles }).resolve("prod"));
    expect(error.message).toContain(
      "pulumi config set --path --secret enswitch:connections.prod.password <password>",
    );
    expect(error.message).not.toContain("prod.example.com");
  });

  it("list the configured profiles when the name is unknown", () => {
    const error = configError(() => connections({ "enswitch:connections": profiles }).resolve("test"));
    expect(error.message).toContain(
      'connection "test" is not a profile of enswitch:connections (configured: staging, prod)',
    );
    expect(error.message).toContain("pulumi config set --path enswitch:connections.test.url https://");
  });
});

describe("concurrency and backoff settings", () => {
  it("reach the client settings from stack config, numbers or text", () => {
    const resolved = connections({
      ...base,
      "enswitch:maxConcurrency": "4",
      "enswitch:backoffBaseMs": 100,
      "enswitch:backoffMaxMs": "2000",
    }).resolve(undefined);
    expect(resolved.settings).toMatchObject({ maxConcurrency: 4, backoff: { baseMs: 100, maxMs: 2000 } });
    expect(resolveSettings(resolved.settings)).toMatchObject({ maxConcurrency: 4, baseMs: 100, maxMs: 2000 });
  });

  it("reach the client settings from a profile, not from the stack-wide values", () => {
    const resolved = connections({
      ...base,
      "enswitch:maxConcurrency": "4",
      "enswitch:connections": {
        staging: { ...profile, maxConcurrency: 2, backoffBaseMs: "50", backoffMaxMs: 500 },
      },
    }).resolve("staging");
    expect(resolved.settings).toMatchObject({ maxConcurrency: 2, backoff: { baseMs: 50, maxMs: 500 } });
  });

  it("are left to the client's defaults when unset, and set one by one", () => {
    const unset = connections(base).resolve(undefined).settings;
    expect(unset).not.toHaveProperty("maxConcurrency");
    expect(unset).not.toHaveProperty("backoff");
    expect(resolveSettings(unset)).toMatchObject({
      maxConcurrency: DEFAULT_SETTINGS.maxConcurrency,
      baseMs: DEFAULT_SETTINGS.baseMs,
      maxMs: DEFAULT_SETTINGS.maxMs,
    });
    const onlyMax = connections({ ...base, "enswitch:backoffMaxMs": "3000" }).resolve(undefined).settings;
    expect(onlyMax.backoff).toEqual({ maxMs: 3000 });
    expect(resolveSettings(onlyMax)).toMatchObject({ baseMs: DEFAULT_SETTINGS.baseMs, maxMs: 3000 });
  });

  const keys = ["maxConcurrency", "backoffBaseMs", "backoffMaxMs"] as const;
  const invalid: unknown[] = [0, -1, "x", 1.5, "0", "-1", "1.5", true];

  it.each(keys)("reject %s in stack config that is not a positive whole number, naming the key", (key) => {
    for (const value of invalid) {
      const error = configError(() =>
        connections({ ...base, [`enswitch:${key}`]: value }).resolve(undefined),
      );
      expect(error.message).toMatch(
        new RegExp(`enswitch:${key} must be a whole number( of milliseconds)?, 1 or more`),
      );
      expect(error.message).toContain(`pulumi config set enswitch:${key} `);
      expect(error.message).not.toContain(PASSWORD);
    }
  });

  it.each(keys)("reject %s in a profile that is not a positive whole number, naming its path", (key) => {
    for (const value of invalid) {
      const error = configError(() =>
        connections({ "enswitch:connections": { staging: { ...profile, [key]: value } } }).resolve("staging"),
      );
      expect(error.message).toMatch(
        new RegExp(
          `enswitch:connections\\.staging\\.${key} must be a whole number( of milliseconds)?, 1 or more`,
        ),
      );
      expect(error.message).toContain(`pulumi config set --path enswitch:connections.staging.${key} `);
      expect(error.message).not.toContain(PASSWORD);
    }
  });
});

describe("dryRunCreates", () => {
  it("is on unless switched off, in stack config or per profile (true or false, text or boolean)", () => {
    expect(connections(base).resolve(undefined).dryRunCreates).toBe(true);
    expect(connections({ ...base, "enswitch:dryRunCreates": "false" }).resolve(undefined).dryRunCreates).toBe(
      false,
    );
    const both = connections({
      ...base,
      "enswitch:dryRunCreates": "false",
      "enswitch:connections": {
        staging: { ...profile, dryRunCreates: true },
        bulk: { ...profile, dryRunCreates: false },
      },
    });
    expect(both.resolve("staging").dryRunCreates).toBe(true);
    expect(both.resolve("bulk").dryRunCreates).toBe(false);
  });

  it("rejects anything but true or false, naming the key and the command", () => {
    const error = configError(() =>
      connections({ ...base, "enswitch:dryRunCreates": "no" }).resolve(undefined),
    );
    expect(error.message).toContain("enswitch:dryRunCreates must be true or false");
    expect(error.message).toContain("pulumi config set enswitch:dryRunCreates true");
  });
});

describe("the settings schema", () => {
  it("says 0 or more where 0 is allowed (retries) and 1 or more where it is not (timeoutMs)", () => {
    expect(connections({ ...base, "enswitch:retries": 0 }).resolve(undefined).settings.retries).toBe(0);
    const retries = configError(() => connections({ ...base, "enswitch:retries": "-1" }).resolve(undefined));
    expect(retries.message).toContain("enswitch:retries must be a whole number, 0 or more");
    expect(retries.message).toContain("pulumi config set enswitch:retries 4");
    const timeout = configError(() => connections({ ...base, "enswitch:timeoutMs": 0 }).resolve(undefined));
    expect(timeout.message).toContain("enswitch:timeoutMs must be a whole number of milliseconds, 1 or more");
  });

  it("refuses an unknown Enswitch version, listing the valid ones, in stack config and in a profile", () => {
    const stack = configError(() =>
      connections({ ...base, "enswitch:version": "banana" }).resolve(undefined),
    );
    expect(stack.message).toContain("enswitch:version must be one of 3.13, 3.14, 4.0, 4.1, 4.2, 4.3, 4.4");
    const inProfile = configError(() =>
      connections({ "enswitch:connections": { eu: { ...profile, version: "9.9" } } }).resolve("eu"),
    );
    expect(inProfile.message).toContain("enswitch:connections.eu.version must be one of 3.13");
    // check's schema rules fall back to the default instead of guessing from a bad value
    expect(connections({ ...base, "enswitch:version": "banana" }).enswitchVersion(undefined)).toBeUndefined();
    expect(connections({ ...base, "enswitch:version": "4.4.2" }).resolve(undefined).enswitchVersion).toBe(
      "4.4.2",
    );
  });

  it("reports every wrong setting at once, each with its command", () => {
    const error = configError(() =>
      connections({ ...base, "enswitch:method": "PUT", "enswitch:maxConcurrency": "many" }).resolve(
        undefined,
      ),
    );
    expect(error.message).toContain("enswitch:method must be POST or GET");
    expect(error.message).toContain("enswitch:maxConcurrency must be a whole number, 1 or more");
    expect(error.message).toContain("pulumi config set enswitch:method POST");
    expect(error.message).toContain("pulumi config set enswitch:maxConcurrency 16");
  });

  it("reads dryRunUpdates like dryRunCreates: on unless switched off", () => {
    expect(connections(base).resolve(undefined).dryRunUpdates).toBe(true);
    const off = connections({
      ...base,
      "enswitch:connections": { eu: { ...profile, dryRunUpdates: "false" } },
    });
    expect(off.resolve("eu").dryRunUpdates).toBe(false);
    expect(off.resolve("eu").dryRunCreates).toBe(true);
  });
});

describe("the README's settings table", () => {
  it("lists every setting of the schema, and the CLI's flag and variable of each", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    for (const key of SETTING_KEYS) expect(readme).toContain(`enswitch:${key}`);
    for (const key of CLI_SETTINGS) {
      expect(readme).toContain(`\`${envName(key)}\``);
      if (flagName(key)) expect(readme).toContain(`\`${flagName(key)}\``);
    }
  });
});
