/**
 * Modules a function loads late, on a rare path, and that the api function's bundle does
 * not carry (infra/bundling.ts, LAZY_MODULES): each is a file of its own beside the bundle,
 * `lazy/<name>.mjs`, built with it, so that the cold start does not parse it.
 *
 * The code asks for one as `process.env.HERALD_LAZY_MODULES === 'beside' ? besideBundle(name)
 * : import(<the module>)`: esbuild's define makes the test true in those bundles alone,
 * and drops the other branch, the module's own import(), from them. Everywhere else (the
 * other bundles, local mode and the tests, which run the TypeScript) the test is false and
 * the module is imported as any other.
 */
export const besideBundle = <T>(name: string): Promise<T> => import(new URL(`./lazy/${name}.mjs`, import.meta.url).href) as Promise<T>;
