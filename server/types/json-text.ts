/**
 * json and jsonb text: json is checked and kept as written; jsonb is normalized as PostgreSQL prints
 * it: '{"a": 1, "b": [1, 2]}' with keys ordered by length then bytes, the last duplicate key winning,
 * numbers in numeric's text form and strings re-escaped.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { numericToString, parseNumeric } from './numeric.js';

type JsonNode =
  | { kind: 'scalar'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'object'; entries: Map<string, JsonNode> };

function invalid(text: string): SqlError {
  return new SqlError(SQLSTATE.invalidTextRepresentation, `invalid input syntax for type json`, {
    detail: `Token "${text.slice(0, 40)}" is invalid.`,
  });
}

class JsonReader {
  i = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i])) this.i++;
  }
  value(): JsonNode {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') {
      this.i++;
      const entries = new Map<string, JsonNode>();
      this.ws();
      if (this.s[this.i] === '}') { this.i++; return { kind: 'object', entries }; }
      for (;;) {
        this.ws();
        if (this.s[this.i] !== '"') throw invalid(this.s.slice(this.i));
        const key = this.string();
        this.ws();
        if (this.s[this.i] !== ':') throw invalid(this.s.slice(this.i));
        this.i++;
        const v = this.value();
        entries.delete(key);
        entries.set(key, v);
        this.ws();
        if (this.s[this.i] === ',') { this.i++; continue; }
        if (this.s[this.i] === '}') { this.i++; return { kind: 'object', entries }; }
        throw invalid(this.s.slice(this.i));
      }
    }
    if (c === '[') {
      this.i++;
      const items: JsonNode[] = [];
      this.ws();
      if (this.s[this.i] === ']') { this.i++; return { kind: 'array', items }; }
      for (;;) {
        items.push(this.value());
        this.ws();
        if (this.s[this.i] === ',') { this.i++; continue; }
        if (this.s[this.i] === ']') { this.i++; return { kind: 'array', items }; }
        throw invalid(this.s.slice(this.i));
      }
    }
    if (c === '"') return { kind: 'string', value: this.string() };
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.s.slice(this.i));
    if (!m) throw invalid(this.s.slice(this.i));
    this.i += m[0].length;
    if (/^[a-z]/.test(m[0])) return { kind: 'scalar', text: m[0] };
    return { kind: 'scalar', text: numericToString(parseNumeric(m[0])) };
  }
  string(): string {
    this.i++;
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) throw invalid(this.s);
      const c = this.s[this.i++];
      if (c === '"') return out;
      if (c < ' ') throw invalid(c);
      if (c !== '\\') { out += c; continue; }
      const e = this.s[this.i++];
      switch (e) {
        case '"': case '\\': case '/': out += e; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const hex = this.s.slice(this.i, this.i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw invalid('\\u' + hex);
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 4;
          break;
        }
        default: throw invalid('\\' + (e ?? ''));
      }
    }
  }
}

function parseJson(text: string): JsonNode {
  const r = new JsonReader(text);
  const v = r.value();
  r.ws();
  if (r.i !== text.length) throw invalid(text.slice(r.i));
  return v;
}

export function escapeJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      default:
        out += ch < ' ' ? '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0') : ch;
    }
  }
  return out + '"';
}

function keyOrder(a: string, b: string): number {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ba.length !== bb.length) return ba.length - bb.length;
  return Buffer.compare(ba, bb);
}

function printJsonb(n: JsonNode): string {
  switch (n.kind) {
    case 'scalar': return n.text;
    case 'string': return escapeJsonString(n.value);
    case 'array': return '[' + n.items.map(printJsonb).join(', ') + ']';
    case 'object': {
      const keys = [...n.entries.keys()].sort(keyOrder);
      return '{' + keys.map((k) => escapeJsonString(k) + ': ' + printJsonb(n.entries.get(k)!)).join(', ') + '}';
    }
    default: {
      const never: never = n;
      return never;
    }
  }
}

/** Check json text; returns it unchanged. */
export function parseJsonText(text: string): string {
  parseJson(text);
  return text;
}

/** jsonb's canonical text for json input. */
export function parseJsonbText(text: string): string {
  return printJsonb(parseJson(text));
}
