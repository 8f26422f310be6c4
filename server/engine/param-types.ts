/** Parameter types as the client declared them in Parse (OID 0 = let the binder infer). */
import { SqlError, SQLSTATE } from '../errors.js';
import { typeFromOid, type SqlType } from '../types/sql-type.js';

export function declaredParamTypes(oids: readonly number[]): (SqlType | undefined)[] {
  return oids.map((oid) => {
    if (oid === 0) return undefined;
    const t = typeFromOid(oid);
    if (!t) throw new SqlError(SQLSTATE.undefinedObject, `type with OID ${oid} does not exist`);
    return t;
  });
}

/** After binding, every parameter must have a type; unused trailing ones default to text. */
export function finalParamTypes(types: readonly (SqlType | undefined)[], fallback: SqlType): SqlType[] {
  return types.map((t) => t ?? fallback);
}
