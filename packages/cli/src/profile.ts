import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Profiles saved by `herald login`: a URL and a key per name, in one JSON file readable by
 * its user only (0600, in a 0700 directory), like gh's hosts.yml or the AWS CLI's credentials.
 */

export interface Profile {
  url: string;
  key: string;
}

/** `HERALD_CONFIG`, else $XDG_CONFIG_HOME/herald/config.json, else ~/.config/herald/config.json. */
export function profilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env['HERALD_CONFIG'] || join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'herald', 'config.json');
}

function readProfiles(path: string): Record<string, Profile> {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { profiles?: Record<string, Profile> }).profiles ?? {};
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`${path} is not a Herald profile file: ${(error as Error).message}`);
  }
}

export function readProfile(name: string, path = profilePath()): Profile | undefined {
  return readProfiles(path)[name];
}

export function saveProfile(name: string, profile: Profile, path = profilePath()): void {
  const profiles = { ...readProfiles(path), [name]: profile };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify({ profiles }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600); // a file that existed keeps its mode on write: make it the user's only
}
