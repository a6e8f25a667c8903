// Progress for long operations, on stderr and only when it is a terminal: a spinner with the elapsed time, erased when done.
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const TICK_MS = 100;

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * Runs `operation` while `label` spins on `stream` (stderr). A pipe or a file gets nothing, so scripts and logs see
 * only results; the line is cleared before the result is printed, whatever the outcome.
 */
export async function withProgress<T>(label: string, operation: () => Promise<T>, stream: ProgressStream = process.stderr): Promise<T> {
  if (!stream.isTTY) return operation();
  const started = Date.now();
  let frame = 0;
  const draw = () => {
    const seconds = Math.floor((Date.now() - started) / 1000);
    stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${label}${seconds ? ` (${seconds} s)` : ''}`);
  };
  draw();
  const timer = setInterval(draw, TICK_MS);
  try {
    return await operation();
  } finally {
    clearInterval(timer);
    stream.write('\r\x1b[2K');
  }
}
