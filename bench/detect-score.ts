/**
 * `npm run detect:score`: how detection does on the corpus of real-template invitations
 * (`bench/detection/corpus.yaml`): precision and recall for phone interviews, direction and number
 * accuracy, per category, and every miss with its evidence. Exits 1 below the figures detection is
 * held to (the same as the test in `npm test`).
 */
import { figures, loadCorpus, report, run } from './detection/score.js';
import { THRESHOLDS, shortOf } from './detection/thresholds.js';

const outcomes = run(loadCorpus());
process.stdout.write(`${report(outcomes)}\n`);
const short = shortOf(figures(outcomes));
if (short.length > 0) {
  process.stdout.write(`\nbelow the bar (${JSON.stringify(THRESHOLDS)}): ${short.join('; ')}\n`);
  process.exitCode = 1;
}
