/**
 * A small scripted Engine for pgwire tests, standing in for the real engine. Each statement is a
 * command word: SELECT n, GEN n (n rows, fetched in batches), ECHO $1 $2 ... (returns its parameters),
 * FAIL, BADCOL (bind error with a position), BOGUS (syntax error), BEGIN/COMMIT/ROLLBACK, SET name v,
 * COPY, SLEEP (waits for cancel), INSERT, NOTHING (empty result), CRASH (a bug: TypeError).
 */
import type {
  CopyInSink,
  Engine,
  EngineSession,
  ExecutionResult,
  FieldDescription,
  PreparedStatement,
  RowSource,
  SessionStartup,
  TransactionStatus,
} from '../../server/engine/api.js';
import { SqlError, SQLSTATE, err } from '../../server/errors.js';
import type { ParsedStatement } from '../../server/sql/ast.js';
import type { Datum, Row } from '../../server/types/datum.js';
import { T, typeFromOid, type SqlType } from '../../server/types/sql-type.js';

export interface FakeCopy {
  chunks: Buffer[];
  finished: boolean;
  aborted: string | null;
}

export class FakeEngine implements Engine {
  readonly sessions: FakeSession[] = [];
  readonly copies: FakeCopy[] = [];
  readonly passwords = new Map<string, string>([['alice', 'secret']]);

  openSession(startup: SessionStartup): EngineSession {
    if (startup.database === 'nodb') {
      throw new SqlError('3D000', `database "${startup.database}" does not exist`, { severity: 'FATAL' });
    }
    const s = new FakeSession(this, startup);
    this.sessions.push(s);
    return s;
  }

  checkPassword(user: string, password: string): boolean {
    return this.passwords.get(user) === password;
  }
}

class ArrayRowSource implements RowSource {
  private pos = 0;
  closed = false;
  readonly fetchSizes: number[] = [];
  constructor(private readonly rows: Row[]) {}
  async fetch(max: number): Promise<{ rows: Row[]; done: boolean }> {
    this.fetchSizes.push(max);
    const end = max <= 0 ? this.rows.length : Math.min(this.rows.length, this.pos + max);
    const out = this.rows.slice(this.pos, end);
    this.pos = end;
    return { rows: out, done: this.pos >= this.rows.length };
  }
  close(): void {
    this.closed = true;
  }
}

function field(name: string, type: SqlType): FieldDescription {
  return { name, type, tableOid: 0, columnAttr: 0 };
}

function words(p: ParsedStatement): string[] {
  return p.source.text.trim().split(/\s+/);
}

export class FakeSession implements EngineSession {
  status: TransactionStatus = 'I';
  closed = false;
  cancelCount = 0;
  sleeping = false;
  lastParams: readonly Datum[] = [];
  lastSource: ArrayRowSource | null = null;
  private changes: [string, string][] = [];
  private wakeSleeper: ((e: SqlError) => void) | null = null;

  constructor(
    private readonly engine: FakeEngine,
    readonly startup: SessionStartup,
  ) {}

  parse(sql: string): ParsedStatement[] {
    const out: ParsedStatement[] = [];
    let offset = 0;
    for (const piece of sql.split(';')) {
      const withoutComments = piece.replace(/--[^\n]*/g, (m) => ' '.repeat(m.length));
      const lead = withoutComments.length - withoutComments.trimStart().length;
      const text = withoutComments.trim();
      if (text !== '') {
        if (text.startsWith('BOGUS')) throw err.syntax('syntax error at or near "BOGUS"', offset + lead + 1);
        out.push({ statement: { kind: 'show', name: 'fake' }, source: { text, offset: offset + lead } });
      }
      offset += piece.length + 1;
    }
    return out;
  }

  async prepare(parsed: ParsedStatement, paramTypeOids: readonly number[]): Promise<PreparedStatement> {
    const [cmd = '', arg] = words(parsed);
    const paramCount = Math.max(0, ...[...parsed.source.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])), paramTypeOids.length);
    const paramTypes = Array.from({ length: paramCount }, (_, i) => typeFromOid(paramTypeOids[i] ?? 0) ?? T.text);
    let fields: FieldDescription[] | null = null;
    switch (cmd) {
      case 'SELECT':
        fields = [field('n', T.int4)];
        break;
      case 'GEN':
        fields = [field('i', T.int4), field('label', T.text)];
        break;
      case 'ECHO':
        fields = paramTypes.map((t, i) => field(`p${i + 1}`, t));
        break;
      case 'BADCOL':
        throw err.undefinedColumn('nope', parsed.source.offset + 8);
      case 'FAIL': case 'BEGIN': case 'COMMIT': case 'ROLLBACK': case 'SET': case 'COPY': case 'SLEEP':
      case 'INSERT': case 'NOTHING': case 'CRASH':
        break;
      default:
        throw err.syntax(`syntax error at or near "${cmd}"`, parsed.source.offset + 1);
    }
    return { parsed, paramTypes, fields };
  }

  async execute(prepared: PreparedStatement, params: readonly Datum[]): Promise<ExecutionResult> {
    const [cmd = '', arg = '', value = ''] = words(prepared.parsed);
    this.lastParams = params;
    if (this.status === 'E' && cmd !== 'COMMIT' && cmd !== 'ROLLBACK') {
      throw new SqlError(SQLSTATE.inFailedSqlTransaction, 'current transaction is aborted, commands ignored until end of transaction block');
    }
    const rows = (fields: readonly FieldDescription[], data: Row[]): ExecutionResult => {
      const source = new ArrayRowSource(data);
      this.lastSource = source;
      return { kind: 'rows', fields, rows: source, tag: (n) => `SELECT ${n}` };
    };
    switch (cmd) {
      case 'SELECT':
        return rows(prepared.fields!, [[Number(arg)]]);
      case 'GEN':
        return rows(prepared.fields!, Array.from({ length: Number(arg) }, (_, i) => [i + 1, `row ${i + 1}`]));
      case 'ECHO':
        return rows(prepared.fields!, [[...params]]);
      case 'FAIL':
        throw err.divisionByZero();
      case 'BEGIN':
        this.status = 'T';
        return { kind: 'command', tag: 'BEGIN' };
      case 'COMMIT': {
        const tag = this.status === 'E' ? 'ROLLBACK' : 'COMMIT';
        this.status = 'I';
        return { kind: 'command', tag };
      }
      case 'ROLLBACK':
        this.status = 'I';
        return { kind: 'command', tag: 'ROLLBACK' };
      case 'SET':
        this.changes.push([arg, value]);
        return { kind: 'command', tag: 'SET' };
      case 'INSERT':
        return { kind: 'command', tag: 'INSERT 0 1' };
      case 'NOTHING':
        return { kind: 'empty' };
      case 'COPY':
        return { kind: 'copyIn', sink: this.copySink() };
      case 'SLEEP':
        this.sleeping = true;
        return new Promise<ExecutionResult>((_, reject) => {
          this.wakeSleeper = reject;
        });
      case 'CRASH': {
        const nothing = undefined as unknown as { boom(): void };
        nothing.boom();
        return { kind: 'empty' };
      }
      default:
        throw err.internal(`fake engine cannot execute ${cmd}`);
    }
  }

  private copySink(): CopyInSink {
    const copy: FakeCopy = { chunks: [], finished: false, aborted: null };
    this.engine.copies.push(copy);
    return {
      format: 'text',
      columnCount: 2,
      write: (data) => {
        if (Buffer.from(data).includes('BAD')) throw new SqlError(SQLSTATE.badCopyFileFormat, 'bad COPY data');
        copy.chunks.push(Buffer.from(data));
      },
      finish: async () => {
        copy.finished = true;
        const lines = Buffer.concat(copy.chunks).toString('utf8').split('\n').filter((l) => l !== '');
        return `COPY ${lines.length}`;
      },
      abort: (reason) => {
        copy.aborted = reason;
      },
    };
  }

  transactionStatus(): TransactionStatus {
    return this.status;
  }

  markFailed(): void {
    if (this.status === 'T') this.status = 'E';
  }

  initialParameters(): ReadonlyArray<readonly [string, string]> {
    return [
      ['server_version', '16.0'],
      ['client_encoding', 'UTF8'],
      ['TimeZone', 'UTC'],
      ['integer_datetimes', 'on'],
    ];
  }

  takeParameterChanges(): ReadonlyArray<readonly [string, string]> {
    return this.changes.splice(0);
  }

  cancel(): void {
    this.cancelCount++;
    this.stopSleeping(new SqlError(SQLSTATE.queryCanceled, 'canceling statement due to user request'));
  }

  close(): void {
    this.closed = true;
    this.stopSleeping(new SqlError(SQLSTATE.queryCanceled, 'session closed'));
  }

  private stopSleeping(e: SqlError): void {
    const wake = this.wakeSleeper;
    this.wakeSleeper = null;
    this.sleeping = false;
    wake?.(e);
  }
}

/** Resolve when `condition` holds; reject after `timeoutMs`. Polls: there is no event to wait on. */
export async function waitUntil(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
