/**
 * format_type and pg_type against PostgreSQL 15: the expected strings were produced by
 * `SELECT format_type(o, m)` on a real PostgreSQL 15.
 */
import assert from 'node:assert/strict';
import { formatType, typeOidByName } from '../../server/catalog/format-type.js';
import { systemRows, systemTables } from '../../server/catalog/system/index.js';
import { TYPE_OIDS } from '../../server/types/sql-type.js';
import { fixture } from './fixture.js';

// [type oid, typmod (null = not given), PostgreSQL 15's format_type]
const CASES: readonly [number, number | null, string][] = [
  [16, -1, 'boolean'], [21, -1, 'smallint'], [23, -1, 'integer'], [20, -1, 'bigint'], [700, -1, 'real'],
  [701, -1, 'double precision'], [1700, -1, 'numeric'], [1700, 655366, 'numeric(10,2)'], [1700, 983044, 'numeric(15,0)'],
  [25, -1, 'text'], [1043, -1, 'character varying'], [1043, 24, 'character varying(20)'], [1042, -1, 'bpchar'],
  [1042, 5, 'character(1)'], [1042, null, 'character'], [19, -1, 'name'], [18, -1, '"char"'], [17, -1, 'bytea'],
  [1082, -1, 'date'], [1083, -1, 'time without time zone'], [1083, 3, 'time(3) without time zone'],
  [1114, -1, 'timestamp without time zone'], [1114, 3, 'timestamp(3) without time zone'],
  [1184, -1, 'timestamp with time zone'], [1184, 0, 'timestamp(0) with time zone'], [1186, -1, 'interval'],
  [1186, 2147418115, 'interval(3)'], [1186, 327679, 'interval year'], [1186, 458751, 'interval year to month'],
  [1186, 469762054, 'interval hour to second(6)'], [26, -1, 'oid'], [2205, -1, 'regclass'], [2206, -1, 'regtype'],
  [24, -1, 'regproc'], [4089, -1, 'regnamespace'], [22, -1, 'int2vector'], [30, -1, 'oidvector'], [114, -1, 'json'],
  [3802, -1, 'jsonb'], [2950, -1, 'uuid'], [2278, -1, 'void'], [705, -1, 'unknown'], [1009, -1, 'text[]'],
  [1015, 24, 'character varying(20)[]'], [1014, -1, 'bpchar[]'], [1014, null, 'character[]'], [1000, -1, 'boolean[]'],
  [1231, 655366, 'numeric(10,2)[]'], [1115, 3, 'timestamp(3) without time zone[]'], [1185, -1, 'timestamp with time zone[]'],
  [1002, -1, '"char"[]'], [1003, -1, 'name[]'], [99999, -1, '???'], [0, -1, '-'], [23, null, 'integer'],
];

describe('format_type', () => {
  for (const [oid, typmod, expected] of CASES) {
    it(`format_type(${oid}, ${typmod ?? 'NULL'}) = ${expected}`, () => {
      assert.equal(formatType(oid, typmod), expected);
    });
  }

  it('regtype input reads back what format_type prints and the common aliases', () => {
    for (const [oid, , text] of CASES) {
      if (oid === 0 || oid === 99999 || oid === 1014) continue; // '-', '???' and unbounded bpchar[] are not names
      assert.equal(typeOidByName(text), oid, text);
    }
    assert.equal(typeOidByName('int'), 23);
    assert.equal(typeOidByName('pg_catalog.int4'), 23);
    assert.equal(typeOidByName('_text'), 1009);
    assert.equal(typeOidByName('varchar(3)'), 1043);
    assert.equal(typeOidByName('no_such_type'), undefined);
  });
});

describe('pg_type', () => {
  const { ctx } = fixture();
  const pgType = systemTables().find((t) => t.def.name === 'pg_type')!;
  const cols = pgType.def.columns.map((c) => c.name);
  const rows = systemRows(pgType.def, ctx).map((r) => Object.fromEntries(cols.map((c, i) => [c, r[i]])));
  const byOid = new Map(rows.map((r) => [r.oid as number, r]));

  it('lists every type of TYPE_OIDS and its array type', () => {
    for (const [kind, info] of Object.entries(TYPE_OIDS)) {
      const row = byOid.get(info.oid);
      assert.ok(row, `${kind} (${info.oid}) missing`);
      assert.equal(row.typnamespace, 11);
      assert.equal(row.typarray, info.arrayOid, `${kind} typarray`);
      if (info.arrayOid !== 0) {
        const arr = byOid.get(info.arrayOid);
        assert.ok(arr, `${kind}[] (${info.arrayOid}) missing`);
        assert.equal(arr.typelem, info.oid);
        assert.equal(arr.typcategory, 'A');
        assert.equal(arr.typname, `_${row.typname as string}`);
      }
      // TYPE_OIDS names are format_type's spelling (bpchar without a typmod reads as character).
      assert.equal(formatType(info.oid, null), info.name, `${kind} name`);
    }
  });

  it('has PostgreSQL 15 values for a few well-known rows', () => {
    const int4 = byOid.get(23)!;
    assert.deepEqual(
      [int4.typname, int4.typlen, int4.typbyval, int4.typtype, int4.typcategory, int4.typinput, int4.typoutput, int4.typalign],
      ['int4', 4, true, 'b', 'N', 42, 43, 'i'],
    );
    const text = byOid.get(25)!;
    assert.deepEqual([text.typname, text.typlen, text.typcategory, text.typispreferred, text.typcollation], ['text', -1, 'S', true, 100]);
    const textArray = byOid.get(1009)!;
    assert.equal(textArray.typinput, 750, 'array types are read by array_in (oid 750), which pgJDBC probes for');
  });
});
