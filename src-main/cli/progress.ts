/** Progress on stderr: a redrawn bar on a terminal, a line every 10% otherwise. */

const BAR = 30;

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export class Progress {
  private lastDecile = -1;
  private readonly tty = !!process.stderr.isTTY;

  update(step: number, total: number, stepsPerSec: number, loss: number | undefined): void {
    const frac = total > 0 ? step / total : 1;
    const text = `${step}/${total} ${stepsPerSec.toFixed(0)} steps/s loss ${loss === undefined ? '-' : loss.toPrecision(4)} eta ${clock((total - step) / stepsPerSec)}`;
    if (this.tty) {
      const filled = Math.round(frac * BAR);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${text}\x1b[K`);
    } else {
      const decile = Math.floor(frac * 10);
      if (decile > this.lastDecile) {
        this.lastDecile = decile;
        process.stderr.write(`${(frac * 100).toFixed(0)}% ${text}\n`);
      }
    }
  }

  done(): void {
    if (this.tty) process.stderr.write('\n');
  }
}
