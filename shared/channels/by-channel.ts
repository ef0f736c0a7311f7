import { familyOf, type ChannelName, type Family } from '../core/types.js';

/**
 * The parts of a channel, each a module of its folder `shared/channels/<family>/<name>/` that
 * exports a value of the part's name, apart so that each function's bundle carries only what
 * it runs: `addressing` (whom a target names, its masks: every function), `target` (its zod
 * schema: the API alone) and `sender` (its addressing and `send`: its family's function alone).
 */
export type ChannelPart = 'addressing' | 'target' | 'sender';

/**
 * The `part` of each channel named, by name. `load` is a glob-style `import()` written where
 * the registry is, with its path relative to that file, e.g.
 * `(family, name) => import(`./${family}/${name}/addressing.ts`)`: esbuild bundles every file
 * the pattern matches and nothing else, so that FAMILIES alone says which channels there are,
 * and a pattern that names a family (`./chat/${name}/sender.ts`) keeps the other families'
 * senders out. The paths end in `.ts` because esbuild's globs match files by their names (no
 * `.js` → `.ts` as for a static import); tsx and vitest load `.ts` as well.
 */
export async function channelParts<N extends ChannelName, T>(
  names: readonly N[],
  part: ChannelPart,
  load: (family: Family, name: N) => Promise<Record<string, unknown>>,
): Promise<Record<N, T>> {
  const entries = await Promise.all(
    names.map(async (name) => {
      const file = `shared/channels/${familyOf(name)}/${name}/${part}.ts`;
      let module: Record<string, unknown>;
      try {
        module = await load(familyOf(name), name);
      } catch (err) {
        throw new Error(`Herald: the ${name} channel (FAMILIES.${familyOf(name)}) cannot load ${file}: ${(err as Error).message}`, {
          cause: err,
        });
      }
      const value = module[part] as { name?: string } | undefined;
      if (!value) throw new Error(`Herald: ${file} must export \`${part}\``);
      // A folder copied from another channel and left with the other's name would deliver as that channel.
      if (part !== 'target' && value.name !== name) throw new Error(`Herald: ${file} names its channel "${value.name}", not "${name}"`);
      return [name, value as T] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<N, T>;
}
