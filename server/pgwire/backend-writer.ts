/**
 * Encoders for every backend message Freshet sends, appended to a MessageBuffer. The connection
 * decides when to flush. Values in DataRow arrive already encoded (text string or binary bytes).
 */
import { MessageBuffer } from './message-buffer.js';

export type FormatCode = 0 | 1;

export interface RowDescriptionField {
  readonly name: string;
  readonly tableOid: number;
  readonly columnAttr: number;
  readonly typeOid: number;
  readonly typeLen: number;
  readonly typmod: number;
  readonly format: FormatCode;
}

/** ErrorResponse / NoticeResponse fields (PostgreSQL single-letter codes S, V, C, M, D, H, P, s, t, c, n). */
export interface ErrorFields {
  readonly severity: string;
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly position?: number;
  readonly schema?: string;
  readonly table?: string;
  readonly column?: string;
  readonly constraint?: string;
}

export class BackendWriter {
  readonly out = new MessageBuffer();

  authenticationOk(): void {
    this.out.begin('R').int32(0).end();
  }

  authenticationCleartextPassword(): void {
    this.out.begin('R').int32(3).end();
  }

  parameterStatus(name: string, value: string): void {
    this.out.begin('S').cstring(name).cstring(value).end();
  }

  backendKeyData(processId: number, secretKey: number): void {
    this.out.begin('K').int32(processId).int32(secretKey).end();
  }

  readyForQuery(status: 'I' | 'T' | 'E'): void {
    this.out.begin('Z').byte(status.charCodeAt(0)).end();
  }

  /** NegotiateProtocolVersion: the newest minor version we support and options we did not know. */
  negotiateProtocolVersion(newestMinor: number, unknownOptions: readonly string[]): void {
    this.out.begin('v').int32(newestMinor).int32(unknownOptions.length);
    for (const o of unknownOptions) this.out.cstring(o);
    this.out.end();
  }

  rowDescription(fields: readonly RowDescriptionField[]): void {
    const o = this.out.begin('T').int16(fields.length);
    for (const f of fields) {
      o.cstring(f.name).uint32(f.tableOid).int16(f.columnAttr).uint32(f.typeOid).int16(f.typeLen).int32(f.typmod).int16(f.format);
    }
    o.end();
  }

  dataRow(values: readonly (Uint8Array | string | null)[]): void {
    const o = this.out.begin('D').int16(values.length);
    for (const v of values) o.lengthPrefixed(v);
    o.end();
  }

  commandComplete(tag: string): void {
    this.out.begin('C').cstring(tag).end();
  }

  emptyQueryResponse(): void {
    this.out.begin('I').end();
  }

  errorResponse(fields: ErrorFields): void {
    this.noticeOrError('E', fields);
  }

  noticeResponse(fields: ErrorFields): void {
    this.noticeOrError('N', fields);
  }

  private noticeOrError(code: 'E' | 'N', f: ErrorFields): void {
    const o = this.out.begin(code);
    o.byte(0x53).cstring(f.severity); // S: localized severity
    o.byte(0x56).cstring(f.severity); // V: severity, never localized
    o.byte(0x43).cstring(f.code);
    o.byte(0x4d).cstring(f.message);
    if (f.detail !== undefined) o.byte(0x44).cstring(f.detail);
    if (f.hint !== undefined) o.byte(0x48).cstring(f.hint);
    if (f.position !== undefined) o.byte(0x50).cstring(String(f.position));
    if (f.schema !== undefined) o.byte(0x73).cstring(f.schema);
    if (f.table !== undefined) o.byte(0x74).cstring(f.table);
    if (f.column !== undefined) o.byte(0x63).cstring(f.column);
    if (f.constraint !== undefined) o.byte(0x6e).cstring(f.constraint);
    o.byte(0).end();
  }

  parseComplete(): void {
    this.out.begin('1').end();
  }

  bindComplete(): void {
    this.out.begin('2').end();
  }

  closeComplete(): void {
    this.out.begin('3').end();
  }

  noData(): void {
    this.out.begin('n').end();
  }

  parameterDescription(typeOids: readonly number[]): void {
    const o = this.out.begin('t').int16(typeOids.length);
    for (const oid of typeOids) o.uint32(oid);
    o.end();
  }

  portalSuspended(): void {
    this.out.begin('s').end();
  }

  /** CopyInResponse: overall format (0 text) and one format per column. */
  copyInResponse(overallFormat: FormatCode, columnFormats: readonly FormatCode[]): void {
    const o = this.out.begin('G').byte(overallFormat).int16(columnFormats.length);
    for (const f of columnFormats) o.int16(f);
    o.end();
  }

  /** CopyOutResponse: overall format (0 text) and one format per column. */
  copyOutResponse(overallFormat: FormatCode, columnFormats: readonly FormatCode[]): void {
    const o = this.out.begin('H').byte(overallFormat).int16(columnFormats.length);
    for (const f of columnFormats) o.int16(f);
    o.end();
  }

  copyData(data: Uint8Array): void {
    this.out.begin('d').bytes(data).end();
  }

  copyDone(): void {
    this.out.begin('c').end();
  }

  /** The single-byte answer to SSLRequest / GSSENCRequest: not supported. */
  encryptionRefused(): void {
    this.out.byte(0x4e);
  }
}
