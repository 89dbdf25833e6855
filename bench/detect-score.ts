/**
 * `npm run detect:score [file.yaml …]`: how detection does on invitations modelled on real
 * templates: precision and recall for phone interviews, direction and number accuracy, per
 * category, and every miss with its evidence. Without arguments it scores the corpus
 * (`bench/detection/corpus.yaml`) and the held-out file (`bench/detection/holdout.yaml`), each
 * on its own. Exits 1 when a file falls below the figures detection is held to (the same as the
 * tests in `npm test`).
 */
import { CORPUS_FILE, HOLDOUT_FILE, figures, loadCorpus, report, run } from './detection/score.js';
import { HOLDOUT_THRESHOLDS, THRESHOLDS, shortOf, type Bar } from './detection/thresholds.js';

const files: { name: string; file: URL | string; bar: Bar }[] =
  process.argv.length > 2
    ? process.argv.slice(2).map((file) => ({ name: file, file, bar: HOLDOUT_THRESHOLDS }))
    : [
        { name: 'corpus', file: CORPUS_FILE, bar: THRESHOLDS },
        { name: 'held-out', file: HOLDOUT_FILE, bar: HOLDOUT_THRESHOLDS },
      ];

for (const [i, { name, file, bar }] of files.entries()) {
  if (i > 0) process.stdout.write(`\n${'='.repeat(72)}\n\n`);
  const outcomes = run(loadCorpus(file));
  process.stdout.write(`${report(outcomes, name)}\n`);
  const short = shortOf(figures(outcomes), bar);
  if (short.length > 0) {
    process.stdout.write(`\n${name} below the bar (${JSON.stringify(bar)}): ${short.join('; ')}\n`);
    process.exitCode = 1;
  }
}
