import { serverAudits } from 'graphql-http';
import type { AuditResult } from 'graphql-http';
import { postRaw } from '../support/graphql-client';
import { CREATE_ORDER } from '../support/operations';
import { withTestServer } from '../support/test-server-fixture';

// graphql-http's audit suite (the reference implementation of the GraphQL-over-HTTP spec) against
// the real server on a free port: every MUST and SHOULD must pass. MAY audits are options the spec
// leaves open: the three this server declines are GETs without a preflight header, which Apollo's
// CSRF prevention refuses on purpose (docs/http.md); with the header they pass too.

const fixture = withTestServer('graphql-http-audit');

type Level = 'MUST' | 'SHOULD' | 'MAY';

function levelOf(result: AuditResult): Level {
  return result.name.split(' ')[0] as Level;
}

function scoreByLevel(results: AuditResult[]): Record<Level, string> {
  const line = (level: Level) => {
    const ofLevel = results.filter((result) => levelOf(result) === level);
    return `${ofLevel.filter((result) => result.status === 'ok').length}/${ofLevel.length}`;
  };
  return { MUST: line('MUST'), SHOULD: line('SHOULD'), MAY: line('MAY') };
}

/** Runs every fixture.server audit, one at a time (each is a request or two; in parallel they would only compete for the cores). */
async function runAudits(fetchFn?: typeof fetch): Promise<AuditResult[]> {
  const results: AuditResult[] = [];
  for (const audit of serverAudits({ url: `${fixture.server.url}/graphql`, fetchFn })) results.push(await audit.fn());
  return results;
}

/** fetch, adding Apollo's CSRF preflight header to every request, as a browser client of this fixture.server does for GETs. */
const fetchWithPreflightHeader: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set('apollo-require-preflight', 'true');
  return fetch(input, { ...init, headers });
};

describe('GraphQL over HTTP (graphql-http audit)', () => {
  it('passes every MUST and SHOULD audit of graphql-http against the running server', async () => {
    const results = await runAudits();
    const failures = results.filter((result) => result.status !== 'ok');
    const counts = scoreByLevel(results);
    console.log(
      `graphql-http audit: MUST ${counts.MUST}, SHOULD ${counts.SHOULD}, MAY ${counts.MAY}` +
        failures
          .map((failure) => `\n  ${failure.status}: ${failure.name}: ${'reason' in failure ? failure.reason : ''}`)
          .join(''),
    );
    expect(results.length).toBeGreaterThan(0);
    expect(failures.filter((failure) => levelOf(failure) !== 'MAY').map((failure) => failure.name)).toEqual([]);
    expect(counts.MUST).toMatch(/^(\d+)\/\1$/);
    expect(counts.SHOULD).toMatch(/^(\d+)\/\1$/);
    // The MAY audits it declines are exactly the GETs that CSRF prevention refuses without the header.
    expect(failures.map((failure) => failure.name).sort()).toEqual([
      'MAY accept application/x-www-form-urlencoded formatted GET requests',
      'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json',
      'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json',
    ]);
  });

  it('passes the MAY audits too when the client sends the CSRF preflight header', async () => {
    const results = await runAudits(fetchWithPreflightHeader);
    const mayFailures = results.filter((result) => levelOf(result) === 'MAY' && result.status !== 'ok');
    expect(mayFailures.map((failure) => failure.name)).toEqual([]);
    expect(scoreByLevel(results).MAY).toMatch(/^(\d+)\/\1$/);
  });
});

describe('status of a GraphQL request error by media type (beyond the audit)', () => {
  const GRAPHQL_RESPONSE = 'application/graphql-response+json';

  /** Status, content type and first error code of a POST with `body`, sent with `accept` (none when undefined). */
  async function answer(body: Record<string, unknown>, accept?: string, headers: Record<string, string> = {}) {
    const response = await postRaw(fixture.server.url, JSON.stringify(body), {
      headers: { ...(accept ? { accept } : {}), ...headers },
    });
    const parsed = JSON.parse(response.text) as { errors?: { extensions?: { code?: string } }[] };
    return [response.status, response.headers['content-type'], parsed.errors?.[0]?.extensions?.code];
  }

  it('answers an operation that cannot be picked 200 as application/json, 400 as application/graphql-response+json', async () => {
    const body = { query: 'query A { __typename }', operationName: 'B' };
    expect(await answer(body)).toEqual([200, 'application/json; charset=utf-8', 'OPERATION_RESOLUTION_FAILURE']);
    expect(await answer(body, GRAPHQL_RESPONSE)).toEqual([
      400,
      `${GRAPHQL_RESPONSE}; charset=utf-8`,
      'OPERATION_RESOLUTION_FAILURE',
    ]);
  });

  it('negotiates the media type as Apollo does: the preferred one by quality decides the status', async () => {
    const body = { query: '{ __typename ' };
    expect(await answer(body, `application/json, ${GRAPHQL_RESPONSE};q=0.9`)).toEqual([
      200,
      'application/json; charset=utf-8',
      'GRAPHQL_PARSE_FAILED',
    ]);
    expect(await answer(body, `application/json;q=0.5, ${GRAPHQL_RESPONSE}`)).toEqual([
      400,
      `${GRAPHQL_RESPONSE}; charset=utf-8`,
      'GRAPHQL_PARSE_FAILED',
    ]);
  });

  it('keeps the HTTP-level refusals for application/json clients: a malformed Idempotency-Key is 400', async () => {
    const body = { query: CREATE_ORDER, variables: { key: 'audit-key-0001', input: { currency: 'EUR', items: [] } } };
    const headers = { authorization: `Bearer ${await fixture.server.tokenFor('ida')}`, 'idempotency-key': 'no' };
    expect(await answer(body, undefined, headers)).toEqual([
      400,
      'application/json; charset=utf-8',
      'BAD_IDEMPOTENCY_KEY',
    ]);
  });
});
