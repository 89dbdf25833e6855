/**
 * `workingHours.days` left out follows the week of the candidate's zone: Sunday to Thursday in Tel
 * Aviv and Riyadh, Saturday to Wednesday in Tehran (CLDR's week data, scripts/weekends.ts). Before,
 * it was Monday to Friday everywhere: a candidate in Tel Aviv was offered Friday, their weekend,
 * and never Sunday. Days the file names always win, and a file written by `ringback init` names none.
 */
import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../../config/load.js';
import type { ResolvedConfig } from '../../config/types.js';
import { renderConfig } from '../../config/write.js';

function configIn(timezone: string, extra = ''): ResolvedConfig {
  const text = `candidate: { name: Ada Park, email: ada@example.org, phone: "+1 415 555 0100", timezone: ${timezone} }\n${extra}`;
  const result = validateConfigText(text, 'ringback.yaml', '/srv/rb', {}, { platform: 'linux', homedir: '/home/ada' });
  expect(result.problems).toEqual([]);
  if (result.config === null) throw new Error('no config');
  return result.config;
}

describe('working days by the candidate’s zone', () => {
  it.each([
    ['Asia/Jerusalem', [1, 2, 3, 4, 7]],
    ['Asia/Riyadh', [1, 2, 3, 4, 7]],
    ['Africa/Cairo', [1, 2, 3, 4, 7]],
    // Thursday and Friday in Afghanistan (CLDR weekendStart thu).
    ['Asia/Kabul', [1, 2, 3, 6, 7]],
    // Friday, and Thursday's half day: Saturday to Wednesday.
    ['Asia/Tehran', [1, 2, 3, 6, 7]],
    // Friday and Saturday in Bangladesh, where CLDR is behind.
    ['Asia/Dhaka', [1, 2, 3, 4, 7]],
  ])('%s: %j', (zone, days) => {
    expect(configIn(zone).workingHours.days).toEqual(days);
  });

  it('keeps Monday to Friday where the weekend is Saturday and Sunday, or Sunday alone', () => {
    for (const zone of ['America/New_York', 'Asia/Dubai', 'Asia/Kolkata', 'Europe/Berlin', 'UTC']) expect(configIn(zone).workingHours.days, zone).toEqual([1, 2, 3, 4, 5]);
  });

  it('follows the zone when only the hours are set', () => {
    expect(configIn('Asia/Jerusalem', 'workingHours: { start: "08:00", end: "16:00" }\n').workingHours).toEqual({ days: [1, 2, 3, 4, 7], start: '08:00', end: '16:00' });
  });

  it('takes the days the file names, whatever the zone (guard)', () => {
    expect(configIn('Asia/Jerusalem', 'workingHours: { days: [1, 2, 3, 4, 5] }\n').workingHours.days).toEqual([1, 2, 3, 4, 5]);
  });

  it('is what a file written by `ringback init` gives: it names no days', () => {
    const text = renderConfig({ candidate: { name: 'Noa Levi', email: 'noa@example.org', phone: '+972 3 555 0100', timezone: 'Asia/Jerusalem' } });
    const result = validateConfigText(text, 'ringback.yaml', '/srv/rb', {}, { platform: 'linux', homedir: '/home/noa' });
    expect(result.problems).toEqual([]);
    expect(result.config?.workingHours.days).toEqual([1, 2, 3, 4, 7]);
  });
});
