// A background loop: runs `tick` now and then every `intervalMs` after the previous tick ends (never two
// at once); errors are logged and the loop goes on. stop() waits for a tick in progress.
import type { Logger } from "@sluice/core/log";

export interface Loop {
  /** Runs a tick now (tests), after any in progress. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startLoop(o: { name: string; log: Logger; intervalMs: number; tick: () => Promise<unknown> }): Loop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const once = (): Promise<void> => {
    current = current.then(async () => {
      if (stopped) return;
      try {
        await o.tick();
      } catch (error) {
        o.log.error({ err: error, loop: o.name }, `${o.name} tick failed`);
      }
    });
    return current;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void once().then(schedule), o.intervalMs);
    timer.unref();
  };
  void once().then(schedule);

  return {
    runNow: once,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
