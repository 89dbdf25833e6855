/**
 * Clearing a company's "pattern" flag: what `ringback company clear` and the dashboard's button
 * do. No-shows are counted afresh and the company's coming interviews are replanned, so their
 * confirmations go out again. And the recipient's time zone the user sets for a company or an
 * address (`ringback company zone`, the dashboard).
 */
import { suggestion } from '../../config/did-you-mean.js';
import { knownZone } from '../domain/format.js';
import { isValidZone } from '../domain/time.js';
import { isUniversalZone } from '../domain/zones.js';
import { audit } from '../store/audit.js';
import { setCounterpartZone, zoneSubject } from '../store/zones.js';
import { clearCompany } from '../store/companies.js';
import type { Engine } from './context.js';
import { replanCompany } from './outcome.js';
import { followRecipientZones } from './their-zone.js';

/** False: ringback has no record of that company. */
export async function clearCompanyPattern(engine: Engine, company: string): Promise<boolean> {
  const name = company.trim().toLowerCase();
  const known = await clearCompany(engine.store, name, engine.now());
  if (!known) return false;
  await audit(engine.store, { type: 'escalation', message: `${name}: pattern flag cleared by you; no-shows counted afresh`, at: engine.now() });
  await replanCompany(engine, name);
  return true;
}

/** Words that remove a zone set for a company or address. */
const NO_ZONE = new Set(['none', 'clear', 'unset', '-']);

/**
 * Checks what `ringback company zone` and the dashboard were given: a company key (a mail domain,
 * as `ringback interviews` shows it) or an address, and an IANA zone (or "none" to remove it).
 * Returns the one-line problem, or the cleaned values.
 */
export function checkCounterpartZone(subject: string, zoneText: string): { readonly subject: string; readonly zone: string | null } | string {
  const who = zoneSubject(subject);
  if (!/^[^\s@]*@?[^\s@]+\.[^\s@]+$/.test(who) || who.length > 254) {
    return `"${subject.slice(0, 80)}" is not a company (a mail domain such as acme.com) or an address (dana@acme.com)`;
  }
  const text = zoneText.trim();
  if (NO_ZONE.has(text.toLowerCase())) return { subject: who, zone: null };
  const zone = knownZone(text);
  if (zone !== null && !isUniversalZone(zone)) return { subject: who, zone };
  if (isValidZone(text)) return `"${text}" says nothing about where they are: give their city's zone, like America/New_York`;
  const hint = suggestion(text, ['UTC', ...Intl.supportedValuesOf('timeZone')]);
  return `"${text.slice(0, 80)}" is not an IANA time zone${hint || ' (like America/Los_Angeles or Europe/Berlin; "none" removes it)'}`;
}

/**
 * Sets (or with null removes) the recipient zone for a company or address, and audits it; the
 * confirmation drafts waiting in Drafts as ringback wrote them are written again with it
 * (their-zone.ts).
 */
export async function setCounterpartZoneFor(engine: Engine, subject: string, zone: string | null): Promise<void> {
  await setCounterpartZone(engine.store, subject, zone);
  const message =
    zone === null
      ? `${subject}: time zone removed; emails to it show their time only when the event says it`
      : `${subject}: time zone set to ${zone}; emails written from now on show their time too, and so do the confirmations waiting in Drafts as ringback wrote them (one you changed is left as you wrote it)`;
  await audit(engine.store, { type: 'updated', message, at: engine.now() });
  await followRecipientZones(engine);
}
