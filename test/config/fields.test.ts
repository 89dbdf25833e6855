/**
 * Each field is documented once (config/fields.ts): the schema describes every field with that
 * text, and the committed example holds every documented field and no other, so that the three
 * cannot drift apart. Unit test: no server.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { z } from 'zod';
import { docText, FIELD_DOCS, NUMBER_FIELDS, type FieldDoc } from '../../config/fields.js';
import { configSchema } from '../../config/schema.js';
import { readExample } from './helpers.js';

/** What zod keeps about a schema node; only the parts this walk reads. */
interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
}

function defOf(node: z.ZodType): Def {
  return (node as unknown as { readonly def: Def }).def;
}

/** The node's description, at any wrapper (default, optional, pipe), and the node inside them. */
function unwrap(node: z.ZodType): { description: string | undefined; inner: z.ZodType } {
  let description = node.description;
  let inner = node;
  for (;;) {
    const def = defOf(inner);
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (next === undefined) return { description, inner };
    inner = next;
    description ??= inner.description;
  }
}

/** Every field of the schema, as a dotted path, with its description; mappings are walked into. */
function schemaFields(node: z.ZodType, prefix = ''): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  const shape = defOf(unwrap(node).inner).shape ?? {};
  for (const [key, child] of Object.entries(shape)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const { description, inner } = unwrap(child);
    if (defOf(inner).type === 'object') for (const [p, d] of schemaFields(inner, path)) out.set(p, d);
    else out.set(path, description);
  }
  return out;
}

/** The table of fields.ts as dotted paths and the text the schema should carry. */
function documented(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [section, fields] of Object.entries(NUMBER_FIELDS)) {
    for (const [key, field] of Object.entries(fields)) out.set(`${section}.${key}`, field.doc);
  }
  for (const [key, value] of Object.entries(FIELD_DOCS)) {
    if (typeof value === 'string' || Array.isArray(value)) out.set(key, docText(value as FieldDoc));
    else for (const [inner, doc] of Object.entries(value as Record<string, FieldDoc>)) out.set(`${key}.${inner}`, docText(doc));
  }
  return out;
}

/**
 * The fields the example sets, as dotted paths: the top-level values and the fields of each
 * section. Accounts count as one field each (`calendars`, `mailbox`): their entries vary by type.
 */
function fieldsSet(text: string): Set<string> {
  const out = new Set<string>();
  const data = parse(text) as Record<string, unknown>;
  for (const [key, value] of Object.entries(data)) {
    const section = key !== 'calendars' && key !== 'mailbox' && value !== null && typeof value === 'object' && !Array.isArray(value);
    if (!section) out.add(key);
    else for (const inner of Object.keys(value)) out.add(`${key}.${inner}`);
  }
  return out;
}

/** Whether the example shows the field, set or commented out (`# dataDir: …`, `  # words:`). */
function shows(text: string, path: string): boolean {
  const [section, key] = path.includes('.') ? path.split('.') : [null, path];
  if (section === null) return new RegExp(`^(# )?${key}:`, 'm').test(text);
  const body = new RegExp(`^${section}:\\n((?:[ #].*\\n|\\n)*)`, 'm').exec(text)?.[1] ?? '';
  return new RegExp(`^ {2}(# )?${key}:`, 'm').test(body);
}

const schema = configSchema({ file: null, baseDir: '/', platform: 'linux', env: {}, homedir: '/home/ada' });

describe('field docs', () => {
  it('describe every field of the schema, with the text of fields.ts', () => {
    const fields = schemaFields(schema);
    expect([...fields.keys()].sort()).toEqual([...documented().keys()].sort());
    for (const [path, text] of documented()) expect(fields.get(path), path).toBe(text);
  });

  it('are all shown in the example, set or commented out', async () => {
    const example = await readExample();
    const missing = [...documented().keys()].filter((path) => !shows(example, path));
    expect(missing).toEqual([]);
  });

  it('cover every field the example sets', async () => {
    const undocumented = [...fieldsSet(await readExample())].filter((path) => !documented().has(path));
    expect(undocumented).toEqual([]);
  });

  it('notice a field the example lacks, and one it sets that is not documented', () => {
    const text = 'prefix: ringback\nsync:\n  # pollSeconds: 60\n  everySeconds: 5\nlog:\n  horizonDays: 3\n';
    expect(shows(text, 'sync.pollSeconds')).toBe(true);
    expect(shows(text, 'sync.horizonDays')).toBe(false);
    expect(shows(text, 'dataDir')).toBe(false);
    expect([...fieldsSet(text)]).toEqual(['prefix', 'sync.everySeconds', 'log.horizonDays']);
  });
});
