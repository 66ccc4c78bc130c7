/** Where progress goes: stderr, so stdout stays for results. */
export interface ProgressOptions {
  /** What is counted ("bytes", "orders"). */
  unit: string;
  /** The total, when known (draws a bar and a percentage). */
  total?: number;
  /** Minimum time between two updates (ms). Default 200 on a terminal, 5 000 otherwise. */
  intervalMs?: number;
  stream?: NodeJS.WriteStream;
}

const BAR_WIDTH = 30;

/**
 * A progress bar on a terminal (redrawn in place), or a plain line every few seconds when stderr is
 * a file or a pipe (CI logs, `2> log`), so that long imports and scans show they are alive.
 */
export class Progress {
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly intervalMs: number;
  private readonly startedAt = Date.now();
  private lastDrawAt = 0;
  private done = 0;

  constructor(
    private readonly label: string,
    private readonly options: ProgressOptions,
  ) {
    this.stream = options.stream ?? process.stderr;
    this.tty = this.stream.isTTY === true;
    this.intervalMs = options.intervalMs ?? (this.tty ? 200 : 5_000);
  }

  /** Sets how far the work is (in the unit), drawing when the interval has passed. */
  update(done: number, detail = ''): void {
    this.done = done;
    if (Date.now() - this.lastDrawAt < this.intervalMs) return;
    this.draw(detail);
  }

  /** Draws the final state and ends the line. */
  finish(detail = ''): void {
    this.draw(detail);
    if (this.tty) this.stream.write('\n');
  }

  private draw(detail: string): void {
    this.lastDrawAt = Date.now();
    const seconds = Math.max(0.001, (this.lastDrawAt - this.startedAt) / 1000);
    const rate = `${Math.round(this.done / seconds).toLocaleString('en')} ${this.options.unit}/s`;
    const total = this.options.total;
    const share = total ? Math.min(1, this.done / total) : undefined;
    const bar =
      share === undefined
        ? ''
        : `[${'#'.repeat(Math.round(share * BAR_WIDTH)).padEnd(BAR_WIDTH, '.')}] ${(share * 100).toFixed(0).padStart(3)}% `;
    const count = `${this.done.toLocaleString('en')}${total ? `/${total.toLocaleString('en')}` : ''} ${this.options.unit}`;
    const line = `${this.label} ${bar}${count} ${rate}${detail ? ` ${detail}` : ''}`;
    this.stream.write(this.tty ? `\r\x1b[2K${line}` : `${line}\n`);
  }
}
