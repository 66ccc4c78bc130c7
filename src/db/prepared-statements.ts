import { createHash } from 'node:crypto';
import type pg from 'pg';
import { literalsOf } from './inline-statement';
import type { Prisma } from './prisma';

/** Statements one connection keeps prepared at most; past that, the rest go with their values written in. */
const MAX_PER_CONNECTION = 64;
/** Statement texts whose names are remembered (the order path has a handful). */
const MAX_NAMED_TEXTS = 256;

/** What PREPARE takes: a SELECT, INSERT, UPDATE, DELETE or VALUES (WITH before any of them). */
const PREPARABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|VALUES)\b/i;
/**
 * Whether PostgreSQL's refusal to prepare a text is about the text (SQLSTATE class 42, syntax or
 * a rule: a parameter whose type nothing around it decides, say, which it could type as a literal;
 * 0A, not supported): that text then always goes with its values written in, where whatever is
 * wrong with it is reported when it runs. Any other failure (a lost connection) is the transaction's.
 */
const refusesText = (code: unknown) => typeof code === 'string' && (code.startsWith('42') || code.startsWith('0A'));
/** "prepared statement does not exist": the connection is not the one that prepared it (a pooler in transaction mode). */
const NOT_PREPARED = '26000';
/** "cached plan must not change result type" comes with this SQLSTATE (feature_not_supported). */
const FEATURE_NOT_SUPPORTED = '0A000';
/** "prepared statement already exists": prepared under this name, and a name is its text's hash. */
const ALREADY_PREPARED = '42P05';

/**
 * Server-side prepared statements for the statements of the order transaction, per connection.
 *
 * The transaction goes in PostgreSQL's simple-query protocol, BEGIN to COMMIT in one message
 * (transaction-statements.ts), where a statement's values are written in as literals; PostgreSQL
 * then parses, analyses and plans its text afresh every time. For the order's statements (a few
 * kilobytes of CTEs) that was more than half of PostgreSQL's CPU per create: measured with one
 * connection, 2.1 ms of PostgreSQL's CPU per quiet order with the values written in, 0.95 ms with the
 * products' statement prepared. So each connection PREPAREs a statement the first time it is to
 * send it (a round trip of its own, before the order's transaction, with its time limits) and sends `EXECUTE name(literals)` in
 * the message from then on: the message stays one round trip, and PostgreSQL keeps the plan.
 *
 * A statement's name is a hash of its text, so a name never means two statements: a connection that
 * finds it prepared already (42P05) has the very same one. A text PostgreSQL will not prepare goes
 * with its values written in, as before. A connection pooler in transaction mode (PgBouncer) hands
 * each transaction another server connection, where a statement prepared on one is missing: the
 * first "does not exist" (26000) turns preparing off for the process (`DATABASE_PREPARED_STATEMENTS`
 * turns it off from the start), and the transaction runs again (transactions.ts), as does every
 * transaction that failed so meanwhile. A statement a migration changed the result of (a column
 * added under a `SELECT *`: 0A000) fails once per connection: that connection is closed, and the
 * transaction runs again on another, which prepares it afresh.
 */
export class PreparedStatements {
  private readonly preparedBy = new WeakMap<pg.ClientBase, Set<string>>();
  /** Texts a connection was to send before it had them prepared (inside a transaction). */
  private readonly wantedBy = new WeakMap<pg.ClientBase, Set<string>>();
  private readonly names = new Map<string, string>();
  private readonly namedStatements = new WeakMap<Prisma.Sql, { text: string; name: string }>();
  private readonly unpreparable = new Set<string>();

  constructor(
    private on = true,
    private readonly onTurnedOff: (error: unknown) => void = () => undefined,
  ) {}

  get enabled(): boolean {
    return this.on;
  }

  /**
   * Prepares on `client` those of `statements` it has not prepared yet, and those it was to send
   * inside an earlier transaction (executeText); a connection that holds as many as it may keeps
   * what it has. Only before a transaction, since a refusal inside one would abort it: each PREPARE
   * goes in a transaction of its own that `begin` opens (BEGIN and the transaction's SET LOCALs),
   * so that parsing it, which takes its tables' locks, waits no longer than the statements would (a
   * migration's lock is a lock timeout, answered as the transaction's). A prepared statement
   * outlives the transaction it was prepared in.
   */
  async prepare(client: pg.ClientBase, statements: readonly Prisma.Sql[], begin = 'BEGIN'): Promise<void> {
    if (!this.on) return;
    const wanted = [...(this.wantedBy.get(client) ?? [])].map((text) => ({ text, name: this.nameOf(text) }));
    this.wantedBy.delete(client);
    for (const { text, name } of [...wanted, ...statements.map((statement) => this.named(statement))]) {
      const prepared = this.preparedOn(client);
      if (prepared.has(name) || this.unpreparable.has(name) || prepared.size >= MAX_PER_CONNECTION) continue;
      if (!PREPARABLE.test(text)) {
        this.refuse(name);
        continue;
      }
      try {
        await client.query(`${begin}; PREPARE ${name} AS ${text}; COMMIT`);
      } catch (error) {
        // The message stopped at the failure, inside its transaction.
        await client.query('ROLLBACK').catch(() => undefined);
        const code = (error as { code?: unknown }).code;
        if (code === ALREADY_PREPARED) prepared.add(name);
        else if (refusesText(code)) this.refuse(name);
        else throw error;
        continue;
      }
      prepared.add(name);
    }
  }

  /**
   * `EXECUTE name(literals)` for a statement `client` has prepared; null when it has not (it is
   * then prepared before the connection's next transaction) or its values cannot be written in.
   */
  executeText(client: pg.ClientBase, statement: Prisma.Sql): string | null {
    if (!this.on) return null;
    const { text, name } = this.named(statement);
    if (!this.preparedOn(client).has(name)) {
      if (!this.unpreparable.has(name)) {
        const wanted = this.wantedBy.get(client) ?? new Set<string>();
        if (wanted.size < MAX_PER_CONNECTION) this.wantedBy.set(client, wanted.add(text));
      }
      return null;
    }
    const literals = literalsOf(statement.values, (text) => client.escapeLiteral(text));
    if (literals === null) return null;
    return literals.length === 0 ? `EXECUTE ${name}` : `EXECUTE ${name}(${literals.join(', ')})`;
  }

  /**
   * Whether `error`, from a transaction that EXECUTEd prepared statements, says one of them was
   * missing on its connection (26000) or no longer fits its tables (0A000 "cached plan must not
   * change result type": a migration added a column to a `SELECT *`). Either fails before COMMIT;
   * the transaction runs again on a fresh connection (transactions.ts).
   */
  staleBy(error: unknown): boolean {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    return (
      code === NOT_PREPARED ||
      (code === FEATURE_NOT_SUPPORTED &&
        typeof message === 'string' &&
        /cached plan must not change result type/.test(message))
    );
  }

  /**
   * Turns preparing off for good when `error` says a prepared statement was missing (see the class);
   * whether it was this call that did.
   */
  turnedOffBy(error: unknown): boolean {
    if (!this.on || (error as { code?: unknown } | null)?.code !== NOT_PREPARED) return false;
    this.on = false;
    this.onTurnedOff(error);
    return true;
  }

  /** Remembers a text that goes with its values written in (as many as texts are named: a set that only grows must stop somewhere; the oldest go first). */
  private refuse(name: string): void {
    if (this.unpreparable.size >= MAX_NAMED_TEXTS) this.unpreparable.delete(this.unpreparable.values().next().value!);
    this.unpreparable.add(name);
  }

  private preparedOn(client: pg.ClientBase): Set<string> {
    let prepared = this.preparedBy.get(client);
    if (!prepared) this.preparedBy.set(client, (prepared = new Set()));
    return prepared;
  }

  /** The statement's text and name, worked out once per statement object (prepare, then executeText, ask for both). */
  private named(statement: Prisma.Sql): { text: string; name: string } {
    let named = this.namedStatements.get(statement);
    if (!named) {
      const { text } = statement;
      this.namedStatements.set(statement, (named = { text, name: this.nameOf(text) }));
    }
    return named;
  }

  private nameOf(text: string): string {
    let name = this.names.get(text);
    if (name === undefined) {
      name = `og_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
      if (this.names.size >= MAX_NAMED_TEXTS) this.names.delete(this.names.keys().next().value!);
      this.names.set(text, name);
    }
    return name;
  }
}
