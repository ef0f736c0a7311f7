import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * The README promises Node 20.19: every package the lock file installs must accept it, or
 * `npm install` warns EBADENGINE (cookie 2 via fauxqs → fastify → light-my-request wanted
 * Node 22). Checked against the lowest version `engines` admits, not the Node running the test.
 */
const root = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

describe('the dependency tree and the stated engine', () => {
  it('installs no package that refuses the lowest Node the README promises', () => {
    const lowest = semver.minVersion(root.engines.node)?.version;
    expect(lowest).toBe('20.19.0');
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, pkg]) => {
        const wanted = !Array.isArray(pkg.engines) ? pkg.engines?.node : undefined;
        return wanted && !semver.satisfies(lowest as string, wanted)
          ? [`${path.replace(/^.*node_modules\//, '')}@${pkg.version} wants node ${wanted}`]
          : [];
      });
    expect(refusing).toEqual([]);
  });
});
