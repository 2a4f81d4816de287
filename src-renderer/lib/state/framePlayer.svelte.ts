/**
 * A Play button's clock over a sequence of frames (the flow explorer's particles, the noise-to-
 * image row): while playing, the index advances one frame every `frameMs` and playing stops at
 * the last frame; Play from the last frame starts again at the first. Create it while a
 * component initialises (its effect lives and dies with the component); `count` reads the
 * current number of frames (0 when there are none yet), so new frames restart the clock.
 */
export class FramePlayer {
  index = $state(0);
  playing = $state(false);

  constructor(private readonly frameMs: number, private readonly count: () => number) {
    $effect(() => {
      if (!this.playing || this.count() === 0) return;
      const timer = setInterval(() => {
        if (this.index >= this.count() - 1) {
          this.playing = false;
          return;
        }
        this.index++;
      }, this.frameMs);
      return () => clearInterval(timer);
    });
  }

  toggle(): void {
    const n = this.count();
    if (n === 0) return;
    if (!this.playing && this.index >= n - 1) this.index = 0;
    this.playing = !this.playing;
  }
}
