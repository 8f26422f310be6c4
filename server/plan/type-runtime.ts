/**
 * The type runtime as the planner and operators see it: cast rules, casts, common supertypes,
 * operator resolution, comparison and LIKE, all from server/types/. Everything in plan/ and exec/
 * imports these names from here, so a change of signature there is absorbed in one place.
 */
import type { SqlType } from '../types/sql-type.js';
import { likeMatcher as typesLikeMatcher } from '../types/like.js';
import { typeDisplayName as typesDisplayName } from '../types/text-io.js';

export type { CastContext } from '../types/cast.js';
export { castRule, castDatum, commonSupertype } from '../types/cast.js';
export { compareDatums, intervalSpan } from '../types/compare.js';
export { binaryOperator, unaryOperator } from '../types/operators.js';

/** A type's name as PostgreSQL prints it in error messages (integer, text, character varying...). */
export function typeDisplayName(t: SqlType): string {
  return typesDisplayName(t);
}

/** A matcher for a LIKE / ILIKE pattern (escape null: none; default backslash). */
export function likeMatcher(pattern: string, caseInsensitive: boolean, escape: string | null = '\\'): (s: string) => boolean {
  return typesLikeMatcher(pattern, escape, caseInsensitive);
}
