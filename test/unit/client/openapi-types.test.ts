import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generated, OPENAPI_JSON, SCHEMA_TS } from '../../../tools/openapi/generate.js';

describe("the client's types", () => {
  it('are those generated from the routes the api serves: `npm run openapi` after changing a route', async () => {
    const fresh = await generated();
    expect(readFileSync(OPENAPI_JSON, 'utf8'), `${OPENAPI_JSON} is stale: run npm run openapi`).toBe(fresh.json);
    expect(readFileSync(SCHEMA_TS, 'utf8'), `${SCHEMA_TS} is stale: run npm run openapi`).toBe(fresh.schema);
  });
});
