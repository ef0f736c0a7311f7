import type { Engine } from './engine/engine.js';

/** A data dir of an earlier version (dynalite's `dynamodb/`): not moved in yet. */
export async function moveInEarlierData(_dataDir: string, _engine: Engine): Promise<{ items: number; keptAt: string } | undefined> {
  return undefined;
}
