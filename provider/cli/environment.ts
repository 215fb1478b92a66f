/**
 * The switch the `enswitch` commands talk to: `ENSWITCH_URL`, `ENSWITCH_USERNAME` and
 * `ENSWITCH_PASSWORD` from the environment only. Command-line flags would put the password in shell
 * history and process lists, so there are none; and no value is ever printed.
 */
import { EnswitchClient } from "../enswitch/client";
import { EnswitchConfigurationError } from "../enswitch/errors";

/** The environment variables read, in the order they are checked. */
export const CONNECTION_ENV = ["ENSWITCH_URL", "ENSWITCH_USERNAME", "ENSWITCH_PASSWORD"] as const;

/**
 * A client for the switch named by the environment. Throws {@link EnswitchConfigurationError} naming
 * every missing variable (never a value).
 *
 * @example
 * ```ts
 * const client = clientFromEnvironment({ ENSWITCH_URL: url, ENSWITCH_USERNAME: "admin", ENSWITCH_PASSWORD: "admin" });
 * ```
 */
export function clientFromEnvironment(env: NodeJS.ProcessEnv = process.env): EnswitchClient {
  const missing = CONNECTION_ENV.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new EnswitchConfigurationError(
      `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set.`,
      {
        fn: "configuration",
        code: "CONFIG",
        hint: `Export ${CONNECTION_ENV.join(", ")} (in CI, from the pipeline's secrets).`,
      },
    );
  }
  return new EnswitchClient({
    url: env.ENSWITCH_URL!,
    username: env.ENSWITCH_USERNAME!,
    password: env.ENSWITCH_PASSWORD!,
  });
}
