// Cleanup that runs once, last registered first, whether the bench ends normally, throws, is interrupted
// (Ctrl-C, SIGTERM) or overruns its time budget: servers stopped, scratch databases dropped.
export class Cleanup {
  private readonly actions: { label: string; fn: () => Promise<void> }[] = [];
  private running: Promise<void> | undefined;

  add(label: string, fn: () => Promise<void>): void {
    this.actions.push({ label, fn });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const { label, fn } of this.actions.reverse()) {
        try {
          await fn();
        } catch (error) {
          console.error(`   cleanup: ${label} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.running;
  }
}
