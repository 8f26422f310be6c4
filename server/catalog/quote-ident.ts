/**
 * Identifier quoting as PostgreSQL's quote_ident does it: an identifier stays bare only when it is
 * lower-case letters, digits and underscores (not starting with a digit) and is not a keyword
 * PostgreSQL reserves in any position (every category except unreserved).
 */

const NON_UNRESERVED_KEYWORDS = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both ' +
    'case cast char character check coalesce collate collation column concurrently constraint create cross ' +
    'current_catalog current_date current_role current_schema current_time current_timestamp current_user dec ' +
    'decimal default deferrable desc distinct do else end except exists extract false fetch float for foreign ' +
    'freeze from full grant greatest group grouping having ilike in initially inner inout int integer intersect ' +
    'interval into is isnull join lateral leading least left like limit localtime localtimestamp national natural ' +
    'nchar none normalize not notnull null nullif numeric offset on only or order out outer overlaps overlay ' +
    'placing position precision primary real references returning right row select session_user setof similar ' +
    'smallint some substring symmetric table tablesample then time timestamp to trailing treat trim true union ' +
    'unique user using values varchar variadic verbose when where window with xmlattributes xmlconcat xmlelement ' +
    'xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable'
  ).split(' '),
);

export function quoteIdent(name: string): string {
  const bare = /^[a-z_][a-z0-9_]*$/.test(name) && !NON_UNRESERVED_KEYWORDS.has(name);
  return bare ? name : `"${name.replace(/"/g, '""')}"`;
}

/** `schema.name`, each part quoted as needed. */
export function quoteQualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}
