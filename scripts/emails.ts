/**
 * `npm run emails`: writes every email variant ringback can write into docs/emails/, one
 * plain-text file each (headers, then body), and an index. Run it after changing a template and
 * commit the result, so that anyone can read what ringback sends in their name.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderEmail } from '../src/gallery/render.js';
import { variants } from '../src/gallery/variants.js';

const dir = join(import.meta.dirname, '..', 'docs', 'emails');
await mkdir(dir, { recursive: true });
for (const file of await readdir(dir)) if (file.endsWith('.txt')) await rm(join(dir, file));
const all = variants();
for (const [i, v] of all.entries()) {
  const file = `${String(i + 1).padStart(2, '0')}-${v.name}.txt`;
  await writeFile(join(dir, file), renderEmail(v.email, v.sentAt, v.candidate.timezone));
}
const index = [
  '# What ringback writes',
  '',
  'Every email ringback can write, rendered by `npm run emails` from the real templates (a call on',
  'Tuesday, March 10, 2026 at 3:00 PM Eastern; candidate Ada Park in New York unless said otherwise).',
  'Each file holds the headers the recipient sees, then the body.',
  '',
  '| file | situation |',
  '|---|---|',
  ...all.map((v, i) => `| [${String(i + 1).padStart(2, '0')}-${v.name}.txt](${String(i + 1).padStart(2, '0')}-${v.name}.txt) | ${v.about} |`),
  '',
];
await writeFile(join(dir, 'README.md'), index.join('\n'));
process.stdout.write(`wrote ${all.length} emails to docs/emails/\n`);
