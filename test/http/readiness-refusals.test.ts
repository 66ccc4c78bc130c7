import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { readinessHandler } from '../../src/http/readiness';
import type { ReadinessCheck } from '../../src/http/readiness';
import { request } from '../support/http';

/** /readyz over real HTTP with these checks; the probes are plain functions, the dependency behind them is not the subject. */
async function readyz(checks: ReadinessCheck[]): Promise<{ status: number; body: unknown }> {
  const app = express();
  app.get('/readyz', readinessHandler({ checks, timeoutMs: 300 }));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await request(`http://127.0.0.1:${port}`, '/readyz');
    return { status: response.status, body: JSON.parse(response.text) };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const up: ReadinessCheck = { name: 'postgres', probe: () => Promise.resolve() };
const failing = () => Promise.reject(new Error('refused by the server'));
const WHY = 'Redis answered "WRONGPASS invalid username-password pair": is the password (and the user) right?';

describe('/readyz with a dependency that refuses the settings', () => {
  it('shows an optional one as refused, with the reason, and stays in rotation (200 degraded)', async () => {
    const redis: ReadinessCheck = { name: 'redis', probe: failing, required: false, refusal: () => WHY };
    expect(await readyz([up, redis])).toEqual({
      status: 200,
      body: { status: 'degraded', refused: { redis: WHY }, checks: { postgres: 'up', redis: 'refused' } },
    });
  });

  it('answers 503 when a required one refuses', async () => {
    const postgres: ReadinessCheck = {
      name: 'postgres',
      probe: failing,
      refusal: () => 'password authentication failed',
    };
    expect(await readyz([postgres])).toEqual({
      status: 503,
      body: {
        status: 'unavailable',
        refused: { postgres: 'password authentication failed' },
        checks: { postgres: 'refused' },
      },
    });
  });

  it('shows a failing one without a refusal as down, and one that answers as up whatever it refused before', async () => {
    const down: ReadinessCheck = { name: 'redis', probe: failing, required: false, refusal: () => null };
    const answering: ReadinessCheck = { name: 'cache', probe: () => Promise.resolve(), refusal: () => WHY };
    expect(await readyz([up, down, answering])).toEqual({
      status: 200,
      body: { status: 'degraded', down: ['redis'], checks: { postgres: 'up', redis: 'down', cache: 'up' } },
    });
  });
});
