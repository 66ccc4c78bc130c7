import { once } from 'node:events';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { sendHttpError } from '../../src/http/http-errors';
import type { HttpResponse } from '../../src/http/request-logging';

/** A logger whose JSON lines are kept for the test to read. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

/**
 * A real server whose handler starts its answer, then fails with `error`: the path of a streamed
 * answer whose stream throws, or an Express route that fails after writing.
 */
async function failAfterHeaders(error: Error & { status?: number }) {
  const { logger, lines } = capturingLogger();
  const server = createServer((request, response) => {
    const httpResponse = Object.assign(response, { locals: { requestId: 'req-after-headers' } }) as HttpResponse;
    httpResponse.writeHead(200, { 'content-type': 'application/json' });
    httpResponse.write('{"data":');
    // Let the head and the first chunk leave before the failure, as a stream's first part would.
    setTimeout(() => sendHttpError(httpResponse, error, logger), 20);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const outcome = await new Promise<{ status?: number; body: string; cut: boolean }>((resolve) => {
    get({ host: '127.0.0.1', port, path: '/' }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode, body, cut: false }));
      response.on('error', () => resolve({ status: response.statusCode, body, cut: true }));
      response.on('aborted', () => resolve({ status: response.statusCode, body, cut: true }));
    });
  });
  server.close();
  return { outcome, lines };
}

describe('sendHttpError once the headers are out', () => {
  it('cuts the connection, so the client sees a broken answer, and logs the fault with its request id', async () => {
    const { outcome, lines } = await failAfterHeaders(new Error('the stream broke'));
    expect(outcome).toEqual({ status: 200, body: '{"data":', cut: true });
    const logged = lines.filter((line) => line['msg'] === 'HTTP error after the headers were sent');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 50,
      requestId: 'req-after-headers',
      err: { message: 'the stream broke' },
    });
  });

  it("cuts the connection without an error line when the failure is the client's (a 4xx)", async () => {
    const aborted = Object.assign(new Error('request aborted'), { status: 400 });
    const { outcome, lines } = await failAfterHeaders(aborted);
    expect(outcome.cut).toBe(true);
    expect(lines.filter((line) => line['level'] === 50)).toEqual([]);
  });
});
