/**
 * format_type(type oid, typmod): a type's SQL name as PostgreSQL prints it. Not strict: a NULL
 * typmod means "none given", which changes the text for bpchar.
 */
import { defineFunction, over } from '../../functions/define.js';
import { T } from '../../types/sql-type.js';
import { formatType } from '../format-type.js';

defineFunction('format_type', [over([T.oid, T.int4], T.text, ([oid, typmod]) => (oid === null ? null : formatType(oid as number, typmod as number | null)))], {
  strict: false,
  volatility: 'stable',
});
