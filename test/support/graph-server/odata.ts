/**
 * The slice of OData `$filter` that the Outlook adapter uses, as Exchange reads it: comparisons
 * (`eq`, `ne`, `ge`, `gt`, `le`, `lt`) of a property path (`from/emailAddress/address`) with a
 * string literal (quotes doubled inside), a date-time, a boolean or a number, joined by `and`.
 * Anything else is a 400, as it would be from Graph.
 */

export class ODataError extends Error {}

type Literal = string | number | boolean | { readonly dateTime: number };

interface Comparison {
  readonly path: readonly string[];
  readonly op: 'eq' | 'ne' | 'ge' | 'gt' | 'le' | 'lt';
  readonly value: Literal;
}

export type Filter = readonly Comparison[];

const OPS = new Set(['eq', 'ne', 'ge', 'gt', 'le', 'lt']);

export function parseFilter(text: string): Filter {
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
  return filter.every((clause) => compare(resolve(item, clause.path), clause.op, clause.value));
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
