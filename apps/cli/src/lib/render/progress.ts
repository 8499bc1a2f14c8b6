/** A progress display for long work; a no-op when there is nobody to show it to. */
export interface Progress {
  /** Sets how much is done. */
  update(done: number): void;
  /** Adds to how much is done. */
  increment(by?: number): void;
  /** Removes the display (call on success and on failure). */
  stop(): void;
}

export interface ProgressOptions {
  /** Show it at all; see `showProgress`. */
  enabled: boolean;
  /** What is being done, e.g. "Updating". */
  label: string;
  /** What is counted, e.g. "tasks". */
  unit: string;
  /** How much there is to do; without it only a running count is shown. */
  total?: number | undefined;
  stream?: NodeJS.WriteStream;
}

/** Progress goes to stderr, only when stderr is a terminal and stdout is not carrying `--json`. */
export function showProgress(json: boolean, stream: NodeJS.WriteStream = process.stderr): boolean {
  return !json && stream.isTTY;
}

const idle: Progress = {
  update: () => undefined,
  increment: () => undefined,
  stop: () => undefined,
};

/**
 * Starts a bar (`Updating [=====-----] 50% | 250/500 tasks | ETA 3s`) or, without a total,
 * a running count (`Exporting… 1200 tasks`), on stderr. cli-progress is loaded only when a
 * bar is shown. The bar is cleared when stopped, so the summary line after it stands alone.
 */
export async function startProgress(options: ProgressOptions): Promise<Progress> {
  if (!options.enabled) return idle;
  const { SingleBar } = (await import('cli-progress')).default;
  const counted = options.total !== undefined;
  const bar = new SingleBar({
    format: counted
      ? `${options.label} [{bar}] {percentage}% | {value}/{total} ${options.unit} | ETA {eta_formatted}`
      : `${options.label}… {value} ${options.unit}`,
    stream: options.stream ?? process.stderr,
    barsize: 30,
    hideCursor: true,
    clearOnComplete: true,
    fps: 10,
  });
  bar.start(options.total ?? 0, 0);
  let done = 0;
  let stopped = false;
  return {
    update(value) {
      done = value;
      bar.update(done);
    },
    increment(by = 1) {
      done += by;
      bar.update(done);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
