/**
 * pg_catalog.pg_proc: the internal functions pg_type and pg_am refer to, with PostgreSQL's oids,
 * plus one row per function name in the builtin registry (oid derived from the name, so it is stable
 * across restarts). Registry functions resolve their signatures dynamically, so their rows carry no
 * argument types: enough for regproc casts and \df, not for overload listings.
 */
import { arrayOf, T } from '../../types/sql-type.js';
import { defineSystemTable } from './system-table.js';
import { builtinFunctions, type FunctionDef } from '../../functions/registry.js';
import { BOOTSTRAP_ROLE_OID, PG_CATALOG_NAMESPACE } from './builtin.js';
import { FIXED_PROCS } from './fixed-procs.js';
import { derivedOid, PROC_OID_BAND } from './name-hash.js';

const INTERNAL_LANGUAGE = 12;

interface ProcEntry {
  readonly oid: number;
  readonly name: string;
  readonly rettype: number;
  readonly argtypes: readonly number[];
  readonly def?: FunctionDef;
}

let cachedFor = -1;
let cached: { list: ProcEntry[]; byName: Map<string, ProcEntry>; byOid: Map<number, ProcEntry> } | undefined;

function procs(): NonNullable<typeof cached> {
  const names = [...builtinFunctions.names()].sort();
  if (cached && cachedFor === names.length) return cached;
  const list: ProcEntry[] = FIXED_PROCS.map(([oid, name, rettype, argtypes]) => ({ oid, name, rettype, argtypes }));
  const byName = new Map(list.map((p) => [p.name, p]));
  const taken = new Set(list.map((p) => p.oid));
  for (const name of names) {
    if (byName.has(name)) continue;
    const resolved = builtinFunctions.resolve(name, []);
    const entry: ProcEntry = { oid: derivedOid(name, PROC_OID_BAND, taken), name, rettype: 0, argtypes: [], def: resolved?.def };
    taken.add(entry.oid);
    list.push(entry);
    byName.set(name, entry);
  }
  cached = { list, byName, byOid: new Map(list.map((p) => [p.oid, p])) };
  cachedFor = names.length;
  return cached;
}

/** Oid of the function named `name` (regproc input), or undefined. */
export function procOidByName(name: string): number | undefined {
  return procs().byName.get(name)?.oid;
}

/** Name of the function with this oid (regproc output), or undefined. */
export function procNameByOid(oid: number): string | undefined {
  return procs().byOid.get(oid)?.name;
}

const VOLATILITY = { immutable: 'i', stable: 's', volatile: 'v' } as const;

export const pgProc = defineSystemTable('pg_catalog', 'pg_proc', 1255, 'r', [
  ['oid', T.oid, true],
  ['proname', T.name, true],
  ['pronamespace', T.oid, true],
  ['proowner', T.oid, true],
  ['prolang', T.oid, true],
  ['procost', T.float4, true],
  ['prorows', T.float4, true],
  ['provariadic', T.oid, true],
  ['prosupport', T.regproc, true],
  ['prokind', T.char, true],
  ['prosecdef', T.bool, true],
  ['proleakproof', T.bool, true],
  ['proisstrict', T.bool, true],
  ['proretset', T.bool, true],
  ['provolatile', T.char, true],
  ['proparallel', T.char, true],
  ['pronargs', T.int2, true],
  ['pronargdefaults', T.int2, true],
  ['prorettype', T.oid, true],
  ['proargtypes', T.oidvector, true],
  ['proallargtypes', arrayOf(T.oid), false],
  ['proargmodes', arrayOf(T.char), false],
  ['proargnames', arrayOf(T.text), false],
  ['proargdefaults', T.text, false],
  ['protrftypes', arrayOf(T.oid), false],
  ['prosrc', T.text, true],
  ['probin', T.text, false],
  ['prosqlbody', T.text, false],
  ['proconfig', arrayOf(T.text), false],
  ['proacl', arrayOf(T.text), false],
], (_ctx, shape) =>
  procs().list.map((p) =>
    shape.row({
      oid: p.oid,
      proname: p.name,
      pronamespace: PG_CATALOG_NAMESPACE,
      proowner: BOOTSTRAP_ROLE_OID,
      prolang: INTERNAL_LANGUAGE,
      procost: 1,
      prorows: 0,
      provariadic: 0,
      prosupport: 0,
      prokind: 'f',
      prosecdef: false,
      proleakproof: false,
      proisstrict: p.def ? p.def.strict : true,
      proretset: false,
      provolatile: p.def ? VOLATILITY[p.def.volatility] : 'i',
      proparallel: 's',
      pronargs: p.argtypes.length,
      pronargdefaults: 0,
      prorettype: p.rettype,
      proargtypes: [...p.argtypes],
      proallargtypes: null,
      proargmodes: null,
      proargnames: null,
      proargdefaults: null,
      protrftypes: null,
      prosrc: p.name,
      probin: null,
      prosqlbody: null,
      proconfig: null,
      proacl: null,
    }),
  ));
