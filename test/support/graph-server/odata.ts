/**
 * The slice of OData `$filter` that the Outlook adapter uses, as Exchange reads it: comparisons
 * (`eq`, `ne`, `ge`, `gt`, `le`, `lt`) of a property path (`from/emailAddress/address`) with a
 * string literal (quotes doubled inside), a date-time, a boolean or a number, joined by `and`;
 * and, alone, the filter on a single-value extended property as Graph documents it,
 * `singleValueExtendedProperties/Any(ep: ep/id eq '{id}' and ep/value eq '{value}')`, the name in
 * the id compared case-sensitively and the value case-insensitively
 * (https://learn.microsoft.com/en-us/graph/api/singlevaluelegacyextendedproperty-get).
 * Anything else is a 400, as it would be from Graph.
 */

export class ODataError extends Error {}

type Literal = string | number | boolean | { readonly dateTime: number };

interface Comparison {
  readonly path: readonly string[];
  readonly op: 'eq' | 'ne' | 'ge' | 'gt' | 'le' | 'lt';
  readonly value: Literal;
}

/** `singleValueExtendedProperties/Any(ep: ep/id eq '…' and ep/value eq '…')`. */
interface ExtendedPropertyClause {
  readonly extendedProperty: { readonly id: string; readonly value: string };
}

export type Filter = readonly (Comparison | ExtendedPropertyClause)[];

const EXTENDED = /^singleValueExtendedProperties\/Any\((\w+):\s*\1\/id eq '((?:[^']|'')*)' and \1\/value eq '((?:[^']|'')*)'\)$/i;

const OPS = new Set(['eq', 'ne', 'ge', 'gt', 'le', 'lt']);

export function parseFilter(text: string): Filter {
  const extended = EXTENDED.exec(text.trim());
  if (extended) return [{ extendedProperty: { id: extended[2]!.replace(/''/g, "'"), value: extended[3]!.replace(/''/g, "'") } }];
  const tokens = tokenize(text);
  const clauses: Comparison[] = [];
  let i = 0;
  for (;;) {
    const path = tokens[i];
    const op = tokens[i + 1];
    const value = tokens[i + 2];
    if (path === undefined || op === undefined || value === undefined || path.kind !== 'word' || op.kind !== 'word') {
      throw new ODataError(`Invalid filter clause: ${text}`);
    }
    if (!OPS.has(op.text.toLowerCase())) throw new ODataError(`Unsupported operator ${op.text}`);
    clauses.push({ path: path.text.split('/'), op: op.text.toLowerCase() as Comparison['op'], value: literal(value) });
    i += 3;
    const joiner = tokens[i];
    if (joiner === undefined) return clauses;
    if (joiner.kind !== 'word' || joiner.text.toLowerCase() !== 'and') throw new ODataError(`Unsupported filter: ${text}`);
    i += 1;
  }
}

export function matches(filter: Filter, item: unknown): boolean {
  return filter.every((clause) => ('extendedProperty' in clause ? hasProperty(item, clause.extendedProperty) : compare(resolve(item, clause.path), clause.op, clause.value)));
}

function hasProperty(item: unknown, wanted: { readonly id: string; readonly value: string }): boolean {
  const properties = resolve(item, ['singleValueExtendedProperties']);
  if (!Array.isArray(properties)) return false;
  return properties.some((p: { id?: unknown; value?: unknown }) => sameId(p.id, wanted.id) && typeof p.value === 'string' && p.value.toLowerCase() === wanted.value.toLowerCase());
}

/** The type and property set GUID compare case-insensitively; the name does not. */
function sameId(actual: unknown, wanted: string): boolean {
  if (typeof actual !== 'string') return false;
  const split = (id: string): [string, string] => {
    const at = id.search(/ Name /i);
    return at === -1 ? [id.toLowerCase(), ''] : [id.slice(0, at).toLowerCase(), id.slice(at + ' Name '.length)];
  };
  const [a, an] = split(actual);
  const [w, wn] = split(wanted);
  return a === w && an === wn;
}

function resolve(item: unknown, path: readonly string[]): unknown {
  let current = item;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    const record = current as Record<string, unknown>;
    const found = Object.keys(record).find((name) => name.toLowerCase() === key.toLowerCase());
    current = found === undefined ? undefined : record[found];
  }
  return current;
}

function compare(actual: unknown, op: Comparison['op'], expected: Literal): boolean {
  let left: string | number | boolean;
  let right: string | number | boolean;
  if (typeof expected === 'object') {
    if (typeof actual !== 'string') return false;
    left = Date.parse(actual);
    right = expected.dateTime;
  } else {
    if (typeof actual !== typeof expected) return false;
    left = actual as string | number | boolean;
    right = expected;
  }
  switch (op) {
    case 'eq':
      return left === right;
    case 'ne':
      return left !== right;
    case 'ge':
      return left >= right;
    case 'gt':
      return left > right;
    case 'le':
      return left <= right;
    case 'lt':
      return left < right;
  }
}

interface Token {
  readonly kind: 'word' | 'string';
  readonly text: string;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ') {
      i += 1;
    } else if (c === "'") {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length) throw new ODataError(`Unterminated string literal in ${text}`);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += text[i];
        i += 1;
      }
      tokens.push({ kind: 'string', text: value });
    } else {
      let word = '';
      while (i < text.length && text[i] !== ' ' && text[i] !== "'") {
        word += text[i];
        i += 1;
      }
      tokens.push({ kind: 'word', text: word });
    }
  }
  return tokens;
}

function literal(token: Token): Literal {
  if (token.kind === 'string') return token.text;
  if (token.text === 'true' || token.text === 'false') return token.text === 'true';
  if (/^-?\d+(\.\d+)?$/.test(token.text)) return Number(token.text);
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(token.text)) return { dateTime: Date.parse(token.text) };
  throw new ODataError(`Unsupported literal ${token.text}`);
}
