/**
 * Randomly broken copies of the example config: whatever the damage, loading ends in one
 * BadInputError of one line that names the file, never in another exception.
 */
import fc from 'fast-check';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, validateConfigText } from '../../config/load.js';
import { BadInputError } from '../../src/errors.js';
import { readExample, tempDir } from './helpers.js';

const example = await readExample();
const lines = example.split('\n');
const settingLines = lines.flatMap((line, i) => (/^\s*[A-Za-z]+:/.test(line) ? [i] : []));

type Edit = (text: string[]) => string[];

const at = <T>(list: readonly T[]) => fc.nat({ max: list.length - 1 }).map((i) => list[i] as T);
const replaceLine = (i: number, line: string): Edit => (t) => t.map((l, j) => (j === i ? line : l));
const insertAfter = (i: number, line: string): Edit => (t) => [...t.slice(0, i + 1), line, ...t.slice(i + 1)];

/**
 * An edit of the n-th line (wrapping) that matches `pattern` in the text as it is by then, so that
 * earlier random edits cannot make it miss; with no such line, the file is cut short instead.
 */
const onMatching = (pattern: RegExp, n: number, edit: (i: number, line: string) => Edit): Edit => (t) => {
  const found = t.flatMap((line, i) => (pattern.test(line) ? [i] : []));
  const i = found[n % Math.max(found.length, 1)];
  return i === undefined ? ['candidate: [unclosed'] : edit(i, t[i] ?? '')(t);
};

/** Edits that always break the file. */
const breaking: fc.Arbitrary<Edit> = fc.oneof(
  // A number out of range or of the wrong type.
  fc.tuple(fc.nat(), fc.oneof(fc.integer({ min: 100_000, max: 1e9 }), fc.integer({ min: -1e6, max: -1 }), fc.constant('"soon"'), fc.constant('1.5')))
    .map(([n, v]) => onMatching(/^\s+[A-Za-z]+: \d+$/, n, (i, line) => replaceLine(i, line.replace(/\d+$/, String(v))))),
  // An unknown key inside a section.
  fc.tuple(fc.nat(), fc.stringMatching(/^[a-z][A-Za-z]{2,12}$/)).map(([n, key]) =>
    onMatching(/^[A-Za-z]+:$/, n, (i) => insertAfter(i, `  zz${key}: 1`))),
  // A YAML syntax error.
  fc.tuple(fc.nat(), fc.constantFrom('[unclosed', '{ a: 1', '"open', '\tx: 1', ': :')).map(([n, bad]) =>
    onMatching(/^\s*[A-Za-z]+:/, n, (i, line) => replaceLine(i, `${line.split(':')[0] ?? ''}: ${bad}`))),
  // A required field removed.
  fc.nat().map((n) => onMatching(/^ {2}(name|email|phone|timezone):/, n, (i) => (t) => t.filter((_, j) => j !== i))),
  // A secret written into the file.
  fc.nat().map((n) => onMatching(/^[A-Za-z]+:$/, n, (i) => insertAfter(i, '  password: hunter2hunter2'))),
);

/** Edits that may or may not break it. */
const random: fc.Arbitrary<Edit> = fc.oneof(
  at(settingLines).map((i) => (t: string[]) => t.filter((_, j) => j !== i)),
  fc.tuple(fc.nat({ max: lines.length - 1 }), fc.string({ maxLength: 8 })).map(([i, s]) => (t: string[]) => {
    const line = t[i] ?? '';
    return replaceLine(i, line.slice(0, line.length >> 1) + s + line.slice(line.length >> 1))(t);
  }),
  fc.tuple(fc.nat({ max: lines.length - 1 }), fc.integer({ min: -2, max: 3 })).map(([i, shift]) => (t: string[]) => {
    const line = t[i] ?? '';
    return replaceLine(i, shift >= 0 ? ' '.repeat(shift) + line : line.slice(-shift))(t);
  }),
);

describe('broken variants of the example', () => {
  it('always end in one line of BadInputError', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'ringback.yaml');
    await fc.assert(
      fc.asyncProperty(fc.array(random, { maxLength: 2 }), breaking, async (edits, broken) => {
        const text = [...edits, broken].reduce((t, edit) => edit(t), lines).join('\n');
        await writeFile(file, text);
        const error: unknown = await loadConfig({ env: {}, cwd: dir, platform: 'linux', homedir: '/home/ada' }).then(
          () => 'loaded',
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(BadInputError);
        const message = (error as BadInputError).message;
        expect(message).toMatch(/^ringback\.yaml: \S/);
        expect(message).not.toMatch(/[\n\r]/);
        expect(message).not.toContain('hunter2');
        expect((error as BadInputError).stack ?? '').not.toContain('ZodError');
      }),
      { numRuns: 20 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const result = validateConfigText(text, 'ringback.yaml', '/srv', {}, { platform: 'linux', homedir: '/home/ada' });
        expect(result.config).toBeNull();
        for (const problem of result.problems) expect(problem).not.toMatch(/[\n\r]/);
      }),
      { numRuns: 300 },
    );
  });
});
