/**
 * Every message a PostgreSQL v3 client can send, as a discriminated union on `kind`.
 * Startup-phase packets (no type byte) and typed messages share the union so one loop handles both.
 * This module holds shapes only; frontend-decoder.ts turns bytes into them.
 */

export type DescribeTarget = 'S' | 'P';

export type FrontendMessage =
  | { readonly kind: 'startup'; readonly protocolVersion: number; readonly parameters: Readonly<Record<string, string>> }
  | { readonly kind: 'sslRequest' }
  | { readonly kind: 'gssEncRequest' }
  | { readonly kind: 'cancelRequest'; readonly processId: number; readonly secretKey: number }
  | { readonly kind: 'query'; readonly sql: string }
  | { readonly kind: 'parse'; readonly name: string; readonly sql: string; readonly paramTypeOids: readonly number[] }
  | {
      readonly kind: 'bind';
      readonly portal: string;
      readonly statement: string;
      /** 0 = text, 1 = binary; empty = all text, one code = applies to all. */
      readonly paramFormats: readonly number[];
      /** Raw parameter bytes; null for SQL NULL (length -1). */
      readonly params: readonly (Uint8Array | null)[];
      readonly resultFormats: readonly number[];
    }
  | { readonly kind: 'describe'; readonly target: DescribeTarget; readonly name: string }
  | { readonly kind: 'execute'; readonly portal: string; readonly maxRows: number }
  | { readonly kind: 'close'; readonly target: DescribeTarget; readonly name: string }
  | { readonly kind: 'flush' }
  | { readonly kind: 'sync' }
  | { readonly kind: 'terminate' }
  | { readonly kind: 'copyData'; readonly data: Uint8Array }
  | { readonly kind: 'copyDone' }
  | { readonly kind: 'copyFail'; readonly message: string }
  | { readonly kind: 'password'; readonly password: string };

export type FrontendMessageKind = FrontendMessage['kind'];

/** Request codes sent in place of a protocol version in the startup phase. */
export const SSL_REQUEST_CODE = 80877103;
export const GSSENC_REQUEST_CODE = 80877104;
export const CANCEL_REQUEST_CODE = 80877102;
export const PROTOCOL_3_0 = 196608;
