/**
 * The request and result files exchanged between a test (jest side, `programRun.ts`) and a program
 * child (`child/programChild.ts`). Types only, so both sides share them without loading each other.
 */
import type { EngineState, ProviderCall, RegistrationError, Step } from "./engineStandIn";
import type { Registration } from "./registrationLog";

/** What the child is asked to do. */
export interface ProgramRequest {
  /**
   * `record`: answer every registration with its own inputs (no provider), to see what the engine
   * would receive. `engine`: run the {@link EngineStandIn} against the host at `hostPort`.
   */
  mode: "record" | "engine";
  /** The Pulumi project directory (also the child's cwd). */
  projectDir: string;
  /** Absolute path of the program's JavaScript entry file. */
  program: string;
  /** Pulumi project and stack names. */
  project: string;
  stack: string;
  /** `pulumi preview` instead of `pulumi up` (engine mode). */
  preview?: boolean;
  /** `pulumi refresh` (preview pass, then the real one) on the given state before running the program (engine mode). */
  refresh?: boolean;
  /** `pulumi destroy` without `--run-program` of the given state instead of running the program's deployment. */
  destroy?: boolean;
  /** Engine options: `--parallel`, `--continue-on-error`, `PULUMI_PARALLEL_DIFF`. */
  parallel?: number;
  continueOnError?: boolean;
  parallelDiff?: boolean;
  /** The host's provider config, kept in state by `up` (see `EngineState.config`). */
  providerConfig?: Record<string, string>;
  /** Port of a running provider host on 127.0.0.1, already configured (engine mode). */
  hostPort?: number;
  /** State of an earlier run (engine mode). */
  state?: EngineState;
  /** Where the child writes its {@link ProgramResult}. */
  resultFile: string;
}

/** What the child reports. */
export interface ProgramResult {
  /** Every registration, as the engine would receive it. */
  registrations: Registration[];
  /** Final state (engine mode). */
  state?: EngineState;
  /** Steps performed (engine mode). */
  steps: Step[];
  /** Registrations that failed (engine mode). */
  errors: RegistrationError[];
  /** Registrations never reached because the deployment stopped (engine mode). */
  skipped?: string[];
  /** Every provider call, in order (engine mode). */
  calls?: ProviderCall[];
  /** An error thrown by the program itself, or an unhandled rejection that is not a registration error. */
  programErrors: string[];
}
