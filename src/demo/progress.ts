import { SingleBar } from 'cli-progress';

/** A progress bar on the terminal (stderr, only when it is one), for the demo's longer loops. */
export class Progress {
  private readonly bar?: SingleBar;
  private done = 0;

  constructor(label: string, total: number) {
    if (!process.stderr.isTTY || total === 0) return;
    this.bar = new SingleBar({
      format: `   ${label.padEnd(22)} [{bar}] {value}/{total}`,
      stream: process.stderr,
      clearOnComplete: true,
      hideCursor: true,
    });
    this.bar.start(total, 0);
  }

  tick(by = 1): void {
    this.done += by;
    this.bar?.update(this.done);
  }

  /** Moves the bar to `value` of a new `total` (for work whose size is learnt as it goes). */
  set(value: number, total: number): void {
    this.done = value;
    this.bar?.setTotal(total);
    this.bar?.update(value);
  }

  stop(): void {
    this.bar?.stop();
  }
}
