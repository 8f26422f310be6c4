/** compareResults: multisets of text rows, numerics by value, differences named. */
import assert from 'node:assert/strict';
import { compareResults } from './result-compare.js';

const NUMERIC = 1700;
const INT8 = 20;

describe('Nexmark oracle: compareResults', () => {
  const cols = ['a', 'b'];
  it('ignores row order and the scale of numerics', () => {
    const freshet = { columns: cols, rows: [['2', '1.5'], ['1', null]] };
    const postgres = { columns: cols, rows: [['1', null], ['2', '1.5000000000000000']] };
    assert.equal(compareResults(freshet, postgres, [INT8, NUMERIC]), null);
  });
  it('counts duplicates, and names the rows only one side has', () => {
    const freshet = { columns: cols, rows: [['1', '2'], ['1', '2']] };
    const postgres = { columns: cols, rows: [['1', '2'], ['3', '2']] };
    const diff = compareResults(freshet, postgres, [INT8, INT8]);
    assert.match(diff ?? '', /only in Freshet \(1\):\n {4}\["1","2"\]/);
    assert.match(diff ?? '', /only in PostgreSQL \(1\):\n {4}\["3","2"\]/);
  });
  it('compares non-numeric text exactly and checks the column count', () => {
    assert.notEqual(compareResults({ columns: cols, rows: [['1', '1.50']] }, { columns: cols, rows: [['1', '1.5']] }, [INT8, 25]), null);
    assert.match(compareResults({ columns: ['a'], rows: [] }, { columns: cols, rows: [] }, [INT8, INT8]) ?? '', /1 columns/);
  });
});
