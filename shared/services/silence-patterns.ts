import { patternTexts, type Pattern, type PatternCompiler, type Patterns, type Silence } from '../core/silences.js';
import { logger } from '../telemetry.js';

/*
 * Silences' patterns in RE2 (Google's re2-wasm: RE2 compiled to WebAssembly, no native
 * build for Lambda to carry): linear time whatever the pattern and the value, and the
 * syntax Alertmanager's silences take (no lookaround, no backreference). Loaded the first
 * time a silence has a pattern (about 50 ms, once per process), so that an installation
 * without one never pays for it; compiled patterns are kept per process.
 */

let loading: Promise<PatternCompiler> | undefined;
const compiled = new Map<string, Pattern>();

/** RE2's compiler, loaded at the first call. */
export function patternCompiler(): Promise<PatternCompiler> {
  loading ??= import('re2-wasm').then(({ RE2 }) => (pattern: string): Pattern => {
    let known = compiled.get(pattern);
    if (!known) {
      known = new RE2(`^(?:${pattern})$`, 'u');
      compiled.set(pattern, known);
    }
    return known;
  });
  loading.catch(() => (loading = undefined));
  return loading;
}

/** The compiled patterns of these silences (none to load when they have none). One that does not compile (stored by hand) is left out: its silence silences nothing. */
export async function patternsOf(silences: readonly Pick<Silence, 'matchers'>[]): Promise<Patterns> {
  const texts = patternTexts(silences);
  if (texts.length === 0) return new Map();
  let compile: PatternCompiler;
  try {
    compile = await patternCompiler();
  } catch (err) {
    // Better told than lost: without RE2, silences with a pattern silence nothing.
    logger.error('RE2 could not be loaded: silences with a pattern silence nothing', { error: err as Error });
    return new Map();
  }
  const patterns = new Map<string, Pattern>();
  for (const text of texts) {
    try {
      patterns.set(text, compile(text));
    } catch (err) {
      logger.warn('a silence has a pattern that does not compile: it silences nothing', { pattern: text, error: err as Error });
    }
  }
  return patterns;
}
