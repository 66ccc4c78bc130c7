import net from 'node:net';

/** A message that prepares a statement (alone, or in a transaction of its own): its name and text. */
const PREPARING = /^(?:BEGIN; (?:SET LOCAL [^;]*; )*)?PREPARE (\w+) AS ([\s\S]*?)(?:; COMMIT)?$/;

/** Protocol codes of untyped first messages (SSLRequest, GSSENCRequest, CancelRequest). */
const UNTYPED_REQUEST_CODES = new Set([80_877_103, 80_877_104, 80_877_102]);

/**
 * A loopback TCP proxy in front of PostgreSQL that counts the statements clients send: simple
 * Query ('Q') and extended-protocol Execute ('E') messages of the wire protocol. It sees exactly
 * what reaches the database, whatever the client library does (Prisma, pg, batching or not).
 */
export class StatementCounter {
  private statements = 0;
  /** The text of every statement parsed or sent as a simple query since the last takeTexts(). */
  private texts: string[] = [];
  /** Texts of the statements prepared by name (SQL PREPARE) through this proxy, by name. */
  private readonly prepared = new Map<string, string>();
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly upstream: { host: string; port: number }) {
    this.server = net.createServer((client) => this.relay(client));
  }

  /** Starts a proxy for the PostgreSQL server of `databaseUrl`; `url` is the same URL through it. */
  static async start(databaseUrl: string): Promise<{ counter: StatementCounter; url: string }> {
    const target = new URL(databaseUrl);
    const counter = new StatementCounter({ host: target.hostname, port: Number(target.port || 5432) });
    await new Promise<void>((resolve) => counter.server.listen(0, '127.0.0.1', resolve));
    const proxied = new URL(databaseUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String((counter.server.address() as net.AddressInfo).port);
    return { counter, url: proxied.toString() };
  }

  /**
   * Texts of the statements sent since the last call (simple queries and extended-protocol Parse
   * messages), in order. Unless `raw`, they read as they did before statements were prepared
   * (src/db/prepared-statements.ts): an `EXECUTE name(values)` of a statement prepared through this
   * proxy as that statement with its values written in, and the messages that only PREPARE left out.
   */
  takeTexts({ raw = false } = {}): string[] {
    const texts = this.texts;
    this.texts = [];
    return raw ? texts : texts.filter((text) => !PREPARING.test(text)).map((text) => this.expanded(text));
  }

  /** Statements sent since the last call. */
  take(): number {
    const counted = this.statements;
    this.statements = 0;
    return counted;
  }

  private record(text: string): void {
    const preparing = PREPARING.exec(text);
    if (preparing) this.prepared.set(preparing[1], preparing[2]);
    this.texts.push(text);
  }

  /** `text` with each EXECUTE of a statement prepared through this proxy replaced by the statement, its values in. */
  private expanded(text: string): string {
    let result = '';
    let from = 0;
    for (const match of text.matchAll(/EXECUTE (\w+)(\()?/g)) {
      const statement = this.prepared.get(match[1]);
      if (statement === undefined || match.index < from) continue;
      const { values, end } = match[2]
        ? executeArguments(text, match.index + match[0].length)
        : { values: [], end: match.index + match[0].length };
      result += text.slice(from, match.index) + statement.replace(/\$(\d+)/g, (_, n: string) => values[Number(n) - 1]);
      from = end;
    }
    return result + text.slice(from);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private relay(client: net.Socket): void {
    const database = net.connect(this.upstream);
    for (const socket of [client, database]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('close', () => database.destroy());
    database.on('close', () => client.destroy());
    database.pipe(client);
    let pending = Buffer.alloc(0);
    let started = false;
    client.on('data', (chunk: Buffer) => {
      database.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      // Frame by frame: untyped (length, code) until the startup message, then (type, length).
      for (;;) {
        const headerLength = started ? 5 : 8;
        if (pending.length < headerLength) break;
        const length = started ? pending.readInt32BE(1) + 1 : pending.readInt32BE(0);
        if (pending.length < length) break;
        if (started) {
          const type = String.fromCharCode(pending[0]);
          if (type === 'Q' || type === 'E') this.statements += 1;
          if (type === 'Q' || type === 'P') this.record(statementText(type, pending.subarray(5, length)));
        } else if (!UNTYPED_REQUEST_CODES.has(pending.readInt32BE(4))) {
          started = true;
        }
        pending = pending.subarray(length);
      }
    });
  }
}

/** The SQL of a simple Query (text) or a Parse message (statement name, then text), NUL-terminated strings. */
function statementText(type: 'Q' | 'P', body: Buffer): string {
  const start = type === 'P' ? body.indexOf(0) + 1 : 0;
  return body.subarray(start, body.indexOf(0, start)).toString('utf8');
}

/**
 * The values of `EXECUTE name(…)` from `start` (just after the parenthesis): literals as written
 * ('…' with '' inside, E'…' with backslash escapes, NULL), and where the closing parenthesis ends.
 */
function executeArguments(text: string, start: number): { values: string[]; end: number } {
  const values: string[] = [];
  let current = '';
  let index = start;
  while (index < text.length) {
    const char = text[index];
    if (char === "'") {
      const escaped = /E\s*$/.test(current);
      let literal = "'";
      index += 1;
      while (index < text.length) {
        const inner = text[index];
        if (escaped && inner === '\\') {
          literal += inner + text[index + 1];
          index += 2;
          continue;
        }
        if (inner === "'" && text[index + 1] === "'") {
          literal += "''";
          index += 2;
          continue;
        }
        literal += inner;
        index += 1;
        if (inner === "'") break;
      }
      current += literal;
      continue;
    }
    if (char === ',' || char === ')') {
      values.push(current.trim());
      current = '';
      index += 1;
      if (char === ')') break;
      continue;
    }
    current += char;
    index += 1;
  }
  return { values, end: index };
}
