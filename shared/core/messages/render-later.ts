import { besideBundle } from '../../lazy-module.js';

/**
 * The template engine (render.ts, with liquidjs), loaded at its first use (a preview, a
 * template override checked) rather than at the api's cold start; in the api's bundle a
 * file of its own beside it (shared/lazy-module.ts).
 */
export const renderLater = (): Promise<typeof import('./render.js')> =>
  process.env['HERALD_LAZY_MODULES'] === 'beside' ? besideBundle('render') : import('./render.js');
