/**
 * COPY table FROM STDIN (text or CSV): pgwire streams the data into a sink; each complete row is
 * converted with the columns' text input functions, and all rows are written in one transaction
 * when the client sends CopyDone (all or nothing, as in PostgreSQL). With `ON_ERROR ignore`
 * (PostgreSQL 17) a row holding a value its column cannot take is skipped instead, and counted
 * (freshet_watermarks.malformed_rows for a stream with a watermark).
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import type { CopyFromStatement, ParsedStatement } from '../../sql/ast.js';
import type { Row } from '../../types/datum.js';
import { parseText } from '../../types/text-io.js';
import type { CopyInSink } from '../api.js';
import { CopyRowParser, copyOptions } from '../copy-format.js';
import type { EnginePrepared, StatementContext } from '../statement-context.js';
import { bindDefaults, checkNotNull, defaultRow, insertRow, resolveWriteTarget, targetColumns } from './write-target.js';

export function prepareCopyFrom(parsed: ParsedStatement, ctx: StatementContext): EnginePrepared {
  const s = parsed.statement as CopyFromStatement;
  const rel = resolveWriteTarget(s.table, 'copy', ctx);
  const cols = targetColumns(rel, s.columns);
  const opts = copyOptions({ format: s.format, delimiter: s.delimiter, null: s.null, header: s.header, quote: s.quote, escape: s.escape });
  const defaults = bindDefaults(rel, ctx);
  return {
    parsed,
    paramTypes: [],
    fields: null,
    catalogVersion: ctx.engine.catalogVersion,
    run: () => {
      const exec = ctx.exec();
      const parser = new CopyRowParser(opts);
      const rows: Row[] = [];
      let line = 0;
      let skipped = 0;
      let failure: SqlError | undefined;
      const textCtx = { timeZone: ctx.settings.get('timezone') ?? 'UTC' };
      const accept = (fieldsList: (string | null)[][]) => {
        for (const fields of fieldsList) {
          line++;
          if (fields.length !== cols.length) {
            throw new SqlError(SQLSTATE.badCopyFileFormat, fields.length < cols.length ? `missing data for column "${rel.columns[cols[fields.length]!]!.name}"` : 'extra data after last expected column', {
              detail: `COPY ${rel.name}, line ${line}`,
            });
          }
          const row = defaultRow(defaults, [], exec);
          let malformed = false;
          for (let j = 0; j < cols.length && !malformed; j++) {
            const f = fields[j]!;
            const col = rel.columns[cols[j]!]!;
            try {
              row[cols[j]!] = f === null ? null : parseText(f, col.type, textCtx);
            } catch (e) {
              if (!(e instanceof SqlError)) throw e;
              // ON_ERROR ignore (PostgreSQL 17): a value its column cannot take skips the row.
              if (s.onError === 'ignore') malformed = true;
              else throw new SqlError(e.code, e.message, { detail: `COPY ${rel.name}, line ${line}, column ${col.name}: "${f}"` });
            }
          }
          if (malformed) {
            skipped++;
            continue;
          }
          rows.push(row);
        }
      };
      const sink: CopyInSink = {
        format: s.format,
        columnCount: cols.length,
        write: (data) => {
          if (failure) return;
          try {
            accept(parser.push(data));
          } catch (e) {
            failure = e instanceof SqlError ? e : new SqlError(SQLSTATE.badCopyFileFormat, String(e));
          }
        },
        finish: async () => {
          if (!failure) {
            try {
              accept(parser.end());
            } catch (e) {
              failure = e instanceof SqlError ? e : new SqlError(SQLSTATE.badCopyFileFormat, String(e));
            }
          }
          if (failure) throw failure;
          let copied = 0;
          const watermarks = ctx.engine.views.watermarks;
          if (skipped > 0) watermarks.countMalformed(rel, skipped);
          ctx.write((tx) => {
            if (rel.kind === 'stream') watermarks.persistCounters(rel, tx);
            for (const row of rows) {
              checkNotNull(rel, row);
              // A stream with a watermark drops (and counts) late rows and rows without event time.
              if (rel.kind === 'stream' && !watermarks.admit(rel, row)) {
                watermarks.persistCounters(rel, tx);
                continue;
              }
              insertRow(tx, ctx.engine.store, rel, row);
              copied++;
            }
          });
          return `COPY ${copied}`;
        },
        abort: () => {
          rows.length = 0;
        },
      };
      return { kind: 'copyIn', sink };
    },
  };
}
