/**
 * The log batch codec: a commit's entries (op, key, row) round-trip exactly, a -U entry gets back the
 * key of its +U (it is not written), a stream's batch has no keys, and malformed blobs are rejected.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Op } from '../../server/dynamic-table/changelog-op.js';
import { decodeLogBatch, encodeLogBatchTransient } from '../../server/storage/log-batch.js';
import type { Datum, Row } from '../../server/types/datum.js';

const datum: fc.Arbitrary<Datum> = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.boolean(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
);
const row: fc.Arbitrary<Row> = fc.array(datum, { maxLength: 5 });

/** A table's entries as the store logs them: +I, -D, or a -U/+U pair, each under its key. */
const tableEntries = fc.array(
  fc.tuple(fc.constantFrom('insert', 'delete', 'update'), fc.string({ maxLength: 12 }), row, row),
  { maxLength: 40 },
).map((writes) => {
  const ops: Op[] = [];
  const keys: string[] = [];
  const rows: Row[] = [];
  for (const [kind, key, a, b] of writes) {
    if (kind === 'update') {
      ops.push(Op.UpdateBefore, Op.UpdateAfter);
      keys.push(key, key);
      rows.push(a, b);
    } else {
      ops.push(kind === 'insert' ? Op.Insert : Op.Delete);
      keys.push(key);
      rows.push(a);
    }
  }
  return { ops, keys, rows };
});

describe('log batch codec', () => {
  it('round-trips a table batch, keys included (a -U takes the key of its +U)', () => {
    fc.assert(
      fc.property(tableEntries, ({ ops, keys, rows }) => {
        const blob = Buffer.from(encodeLogBatchTransient(ops, keys, rows));
        assert.deepStrictEqual(decodeLogBatch(blob), { ops, keys, rows });
      }),
    );
  });

  it('round-trips a stream batch without keys', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const ops = rows.map(() => Op.Insert);
        const blob = Buffer.from(encodeLogBatchTransient(ops, null, rows));
        assert.deepStrictEqual(decodeLogBatch(blob), { ops, keys: null, rows });
      }),
    );
  });

  it('does not write the key of a -U entry', () => {
    const withPair = encodeLogBatchTransient([Op.UpdateBefore, Op.UpdateAfter], ['kkkkkkkk', 'kkkkkkkk'], [[1], [2]]).length;
    const single = encodeLogBatchTransient([Op.Insert], ['kkkkkkkk'], [[1]]).length;
    // header (3 bytes) + one key (9 bytes) + two ops and rows, against header + key + one op and row
    assert.equal(withPair - single, 1 + 3);
  });

  it('rejects malformed blobs', () => {
    const good = Buffer.from(encodeLogBatchTransient([Op.Insert, Op.Delete], ['a', 'b'], [[1, 'x'], [2, null]]));
    assert.throws(() => decodeLogBatch(good.subarray(0, good.length - 1)), RangeError);
    assert.throws(() => decodeLogBatch(Buffer.concat([good, Buffer.from([0])])), /trailing bytes/);
    const badVersion = Buffer.from(good);
    badVersion[0] = 9;
    assert.throws(() => decodeLogBatch(badVersion), /unknown format version 9/);
    const lonelyBefore = Buffer.from(encodeLogBatchTransient([Op.UpdateBefore], ['a'], [[1]]));
    assert.throws(() => decodeLogBatch(lonelyBefore), /-U without its \+U/);
  });
});
