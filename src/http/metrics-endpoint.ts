import type { Request, Response } from 'express';
import type { Registry } from 'prom-client';

/** `GET /metrics`: the registry in Prometheus' text format. */
export function metricsHandler(registry: Registry): (request: Request, response: Response) => Promise<void> {
  return async (_request, response) => {
    const body = await registry.metrics();
    response.setHeader('content-type', registry.contentType);
    response.end(body);
  };
}
