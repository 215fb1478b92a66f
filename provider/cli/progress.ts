/**
 * A progress bar on stderr for long runs (hundreds of `validation=1` calls). Drawn only when stderr is
 * a terminal and there is much to do, so logs of CI jobs and piped output stay clean.
 */

/** Where the bar is drawn: a writable stream that may be a terminal. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** Options of {@link ProgressBar}. */
export interface ProgressOptions {
  /** Default `process.stderr`. */
  stream?: ProgressStream;
  /** Fewer steps than this draw nothing. Default 20. */
  minTotal?: number;
  /** Text before the bar. */
  label?: string;
}

/**
 * `label [#########...........] 45/100`, redrawn in place when the shown width changes.
 *
 * @example
 * ```ts
 * const bar = new ProgressBar(calls.length, { label: "checking on the switch" });
 * for (const call of calls) { await call(); bar.tick(); }
 * bar.done();
 * ```
 */
export class ProgressBar {
  private count = 0;
  private drawn = -1;
  private readonly stream: ProgressStream;
  private readonly label: string;
  /** Whether anything is drawn at all. */
  readonly visible: boolean;

  constructor(
    private readonly total: number,
    options: ProgressOptions = {},
  ) {
    this.stream = options.stream ?? process.stderr;
    this.visible = this.stream.isTTY === true && total >= (options.minTotal ?? 20);
    this.label = options.label ?? "";
  }

  /** One step done. */
  tick(): void {
    this.count = Math.min(this.total, this.count + 1);
    if (!this.visible) return;
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - this.label.length - 20));
    const filled = Math.round((this.count / this.total) * width);
    if (filled === this.drawn && this.count !== this.total) return;
    this.drawn = filled;
    const bar = `${"#".repeat(filled)}${".".repeat(width - filled)}`;
    this.stream.write(`\r${this.label ? `${this.label} ` : ""}[${bar}] ${this.count}/${this.total}`);
  }

  /** Clears the bar's line. */
  done(): void {
    if (this.visible && this.drawn >= 0) this.stream.write("\r\u001b[2K");
  }
}
