/**
 * What a function writes to its log while `work` runs: Lambda sends every line a function
 * writes to stdout or stderr to CloudWatch Logs, where each is billed by its size. The lines
 * are kept from the terminal. Captures must not overlap (the bench runs one at a time).
 */
export async function captureOutput<T>(work: () => Promise<T>): Promise<{ result: T; bytes: number; lines: number }> {
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((s) => s.write);
  let bytes = 0;
  let lines = 0;
  const swallow = (chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    bytes += Buffer.byteLength(text);
    lines += text.split('\n').length - 1;
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };
  for (const s of streams) s.write = swallow as typeof s.write;
  try {
    return { result: await work(), bytes, lines };
  } finally {
    streams.forEach((s, i) => (s.write = writes[i] as typeof s.write));
  }
}
