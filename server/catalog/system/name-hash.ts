/**
 * Stable oids for objects Freshet's catalog does not number itself (registry functions, schemas
 * other than the built-in ones): a 32-bit FNV-1a hash of the name placed in a reserved band of the
 * oid space, far above the oids users' relations get.
 */

export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** An oid in the 2^28-wide band starting at `bandStart`, derived from `name`, skipping `taken`. */
export function derivedOid(name: string, bandStart: number, taken?: ReadonlySet<number>): number {
  const band = 0x10000000;
  let offset = fnv1a32(name) % band;
  while (taken?.has(bandStart + offset)) offset = (offset + 1) % band;
  return bandStart + offset;
}

export const PROC_OID_BAND = 0xf0000000;
export const NAMESPACE_OID_BAND = 0xe0000000;
