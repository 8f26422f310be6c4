/**
 * Identifier quoting for catalog text (regclass names, index definitions): PostgreSQL's quote_ident
 * rule, implemented once in sql/deparse.ts.
 */
import { quoteIdent } from '../sql/deparse.js';

export { quoteIdent };

/** `schema.name`, each part quoted as needed. */
export function quoteQualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}
