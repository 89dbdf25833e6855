/**
 * The chaos runs' secret scan against a real Redis: a secret is found where ringback keeps text
 * compressed (audit messages, interview records), not only where it keeps it as it is.
 */
import { describe, expect, it } from 'vitest';
import { scanRedisForSecrets } from '../../chaos/lib/scan.js';
import type { Interview } from '../../src/domain/types.js';
import { audit } from '../../src/store/audit.js';
import { saveInterview } from '../../src/store/interviews.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('scan');

describe('scanRedisForSecrets', () => {
  it('finds a secret in a deflated audit message and in a deflated interview record', async () => {
    const secrets = { auditToken: 'tok-audit-5a1f9e7c3b', noteToken: 'tok-note-8d2e6b4a90' };
    await audit(t.store, { type: 'account', accountId: 'mail', message: `planned: confirmation draft at Mon 1 Jan 09:00 EST (in 2 days); ${secrets.auditToken}`, at: Date.now() });
    await saveInterview(t.store, {
      id: 'ivscan000001',
      sourceId: 'cal',
      eventId: 'e1',
      revision: 1,
      revisionKey: 'rk',
      status: 'scheduled',
      rescheduled: 0,
      outcome: null,
      outcomeSource: null,
      firstSeen: 0,
      title: 'Phone screen',
      start: 0,
      end: 1,
      timeZone: 'UTC',
      counterpart: { name: 'Sam', email: 'sam@acme.example' },
      company: 'acme.example',
      number: null,
      direction: 'unknown',
      role: 'accepted',
      counterpartRole: 'organizer',
      notes: `call me, the code is ${secrets.noteToken}`,
      taggedOutcome: null,
    } as unknown as Interview);

    const mine = (await scanRedisForSecrets(t.redis, secrets)).hits.filter((hit) => hit.where.startsWith(`{${t.store.prefix}}`));
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ where: `{${t.store.prefix}}:audit`, secret: 'auditToken', form: 'plain' }),
        expect.objectContaining({ where: `{${t.store.prefix}}:iv:ivscan000001`, secret: 'noteToken', form: 'plain' }),
      ]),
    );
  });
});
