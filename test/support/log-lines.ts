import { vi } from 'vitest';

/**
 * The lines the logger prints from now on. In tests it writes through the console
 * (POWERTOOLS_DEV in vitest.config.ts, so that vitest shows them only for a failing test):
 * console.log for info and below, console.error for warnings and errors.
 */
export function captureLogLines(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const keep = (...args: unknown[]) => void lines.push(...args.map(String).join(' ').split('\n'));
  const spies = [vi.spyOn(console, 'log').mockImplementation(keep), vi.spyOn(console, 'error').mockImplementation(keep)];
  return { lines, restore: () => spies.forEach((s) => s.mockRestore()) };
}
