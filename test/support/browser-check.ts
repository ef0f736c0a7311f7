import { CHROMIUM, hasChromium } from './browser.js';

/** vitest's globalSetup: a run without Chromium says that it skipped the browser tests, and how to get them. */
export default function browserCheck(): void {
  if (hasChromium) return;
  console.warn(
    `\nBrowser tests skipped: no Chromium at ${CHROMIUM}. Install Debian's: apt-get update && apt-get install -y chromium` +
      ' (or set HERALD_CHROMIUM to a Chromium binary), then run npm test again.\n',
  );
}
