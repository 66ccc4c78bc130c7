import http from 'node:http';

/**
 * POSTs the headers of a large body (`content-length` of 10 MiB) and `firstSlice` of it, never the
 * rest, and resolves with the status once the server answers; rejects when it has not answered
 * within `timeoutMs` (it is then still waiting for the body).
 */
export function answerToUnfinishedBody(
  url: URL,
  headers: Record<string, string>,
  firstSlice: string,
  timeoutMs = 3_000,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      headers: { 'content-length': String(10 * 1024 * 1024), ...headers },
    });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms: the server waits for the whole body`));
    }, timeoutMs);
    request.on('response', (response) => {
      clearTimeout(timer);
      response.resume();
      request.destroy();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', () => undefined);
    request.write(firstSlice);
  });
}
