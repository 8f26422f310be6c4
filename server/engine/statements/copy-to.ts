/**
 * COPY (query | SUBSCRIBE ...) TO STDOUT: the rows of a query, or the endless changes of a
 * subscription, as COPY text or CSV lines. Psql's `\copy (SUBSCRIBE v) to stdout` and any client
 * that reads COPY data can follow a view this way.
 */
import { bindQuery, runQuery } from '../../plan/api.js';
import type { CopyToStatement, ParsedStatement } from '../../sql/ast.js';
import type { Row } from '../../types/datum.js';
import type { FieldDescription, RowSource } from '../api.js';
import { copyHeader, copyLine, copyOutOptions } from '../copy-out-format.js';
import { BatchedRowSource } from '../row-source.js';
import type { EnginePrepared } from '../statement-context.js';
import { bindSubscribe, subscriptionRows, type CursorContext } from './subscribe.js';

/** A RowSource of one-column rows holding COPY lines, over a RowSource of result rows. */
function linesOf(rows: RowSource, fields: readonly FieldDescription[], s: CopyToStatement, ctx: CursorContext): RowSource {
  const o = copyOutOptions(s.format, s.delimiter, s.null);
  const types = fields.map((f) => f.type);
  let header = s.header && s.format === 'csv';
  return {
    live: rows.live,
    fetch: async (max) => {
      const text = ctx.textFormatContext();
      const out: Row[] = [];
      if (header) {
        out.push([copyHeader(fields.map((f) => f.name), o)]);
        header = false;
      }
      const { rows: batch, done } = await rows.fetch(max);
      for (const r of batch) out.push([copyLine(r, types, o, text)]);
      return { rows: out, done };
    },
    close: () => rows.close(),
  };
}

export function prepareCopyTo(parsed: ParsedStatement, ctx: CursorContext): EnginePrepared {
  const s = parsed.statement as CopyToStatement;
  const source = s.source;
  let fields: readonly FieldDescription[];
  let open: () => RowSource;
  if (source.kind === 'subscribe') {
    const sub = bindSubscribe(source, ctx);
    fields = sub.fields;
    open = () => subscriptionRows(sub.open(), () => ctx.cancelled());
  } else {
    const bound = bindQuery(source.query, [], ctx.bind);
    fields = bound.fields;
    open = () => {
      const exec = ctx.exec();
      return new BatchedRowSource(runQuery(bound, [], exec), () => exec.checkCancel());
    };
  }
  return {
    parsed,
    paramTypes: [],
    fields: null,
    catalogVersion: ctx.engine.catalogVersion,
    run: () => ({
      kind: 'copyOut',
      columnCount: fields.length,
      lines: linesOf(open(), fields, s, ctx),
      tag: (n) => `COPY ${n - (s.header && s.format === 'csv' ? 1 : 0)}`,
    }),
  };
}
