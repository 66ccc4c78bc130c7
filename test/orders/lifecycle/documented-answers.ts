import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { JsonResponse } from '../../support/channels';
import { request } from '../../support/http';

/** An answer of a partner REST route, with the route's path as its OpenAPI document names it. */
export interface SeenAnswer {
  path: string;
  answer: JsonResponse;
}

interface OpenApiDocument {
  paths: Record<
    string,
    {
      post: {
        responses: Record<
          string,
          { content: Record<string, { schema: { $ref: string } }>; headers?: Record<string, unknown> }
        >;
      };
    }
  >;
}

/**
 * Expects each answer to be one the server's OpenAPI document (/api/v1/openapi.json) describes for
 * its route: a documented status, its content type, a body valid against its schema, and a
 * `Retry-After` header only where the status documents one.
 */
export async function expectDocumentedAnswers(baseUrl: string, seen: readonly SeenAnswer[]): Promise<void> {
  const document = JSON.parse((await request(baseUrl, '/api/v1/openapi.json')).text) as OpenApiDocument;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, 'partner-api.json');
  for (const { path, answer } of seen) {
    const documented = document.paths[path].post.responses[String(answer.status)];
    expect([path, answer.status, documented !== undefined]).toEqual([path, answer.status, true]);
    if (answer.headers['retry-after'] !== undefined)
      expect([path, answer.status, Object.keys(documented.headers ?? {})]).toEqual([
        path,
        answer.status,
        expect.arrayContaining(['Retry-After']),
      ]);
    const [mediaType, { schema }] = Object.entries(documented.content)[0];
    expect(answer.headers['content-type']).toContain(mediaType);
    const validate = ajv.compile({ $ref: `partner-api.json${schema.$ref}` });
    expect([path, answer.json, validate(answer.json) ? null : validate.errors]).toEqual([path, answer.json, null]);
  }
}
