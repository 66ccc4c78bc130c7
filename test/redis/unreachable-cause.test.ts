import { connectionErrorDetails, unreachableCause } from '../../src/redis/redis-outage-log';

/** A socket error as Node gives it: a message and a code. */
function socketError(message: string, code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

describe('the cause logged for a server that cannot be reached', () => {
  it('is the message of a single refused connect', () => {
    const refused = socketError('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED');
    expect(connectionErrorDetails(refused)).toEqual({ cause: 'connect ECONNREFUSED 127.0.0.1:6379' });
  });

  it("names every address tried when a dual-stack host refuses on each (Node 20's AggregateError has no message)", () => {
    // REDIS_URL redis://localhost:6379 with localhost at ::1 and 127.0.0.1: Node tries both
    // (autoSelectFamily) and reports an AggregateError whose message is "" with the code of the last.
    const refused = Object.assign(
      new AggregateError(
        [
          socketError('connect ECONNREFUSED ::1:6379', 'ECONNREFUSED'),
          socketError('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED'),
        ],
        '',
      ),
      { code: 'ECONNREFUSED' },
    );
    expect(connectionErrorDetails(refused)).toEqual({
      cause: 'connect ECONNREFUSED ::1:6379; connect ECONNREFUSED 127.0.0.1:6379',
    });
  });

  it('is the code when neither the error nor the errors inside it say anything', () => {
    const refused = Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' });
    expect(unreachableCause(refused)).toBe('ECONNREFUSED');
    expect(unreachableCause(socketError('', 'ETIMEDOUT'))).toBe('ETIMEDOUT');
  });

  it.each([
    'ECONNREFUSED',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ECONNRESET',
    'ECONNABORTED',
    'EPIPE',
  ])('is the message for %s, as for the database (platform/network-errors.ts names them once)', (code) => {
    expect(unreachableCause(socketError(`read ${code}`, code))).toBe(`read ${code}`);
  });

  it('is none for an error that says something else than an unreachable server (its stack is logged)', () => {
    const refusal = new Error('NOAUTH Authentication required.');
    expect(unreachableCause(refusal)).toBeNull();
    expect(connectionErrorDetails(refusal)).toEqual({ err: refusal });
  });
});
