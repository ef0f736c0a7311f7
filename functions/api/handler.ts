import { handle } from 'hono/aws-lambda';
import { apiDeps } from '../../shared/aws/wiring.js';
import { readConfig } from '../../shared/config.js';
import { createApi } from './api.js';

/** The api function: API Gateway (HTTP API, payload v2) → Herald's HTTP API. */
const deps = await apiDeps(readConfig());

export const handler = handle(createApi(deps));
