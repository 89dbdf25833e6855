/**
 * An API not turned on in the Google Cloud project of the user's own OAuth client: Google answers
 * every call of that API 403 `accessNotConfigured` (domain usageLimits, status PERMISSION_DENIED),
 * "Gmail API has not been used in project 861228239640 before or it is disabled. Enable it by
 * visiting https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=861228239640
 * then retry. If you enabled this API recently, wait a few minutes for the action to propagate to
 * our systems and retry." (the whole body: DSchau/gatsby-mail#35; Calendar's:
 * googleworkspace/python-samples#17, taylorwilsdon/google_workspace_mcp#126). A fresh project the
 * user made for ringback without enabling one of the two APIs, or an API an administrator turned
 * off later. Before, it was a refusal of the email ("Google refused creating a draft"): each due
 * step failed for good, one by one, and the account named no fix. Real googleapis clients against
 * the local Google stand-in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fixFor } from '../../../src/engine/account-fix.js';
import { accountTrouble } from '../../../src/engine/outage.js';
import { AccountUnusableError } from '../../../src/providers/errors.js';
import type { CalendarConfig, MailboxConfig } from '../../../config/types.js';
import { composedEmail } from '../../support/composed-email.js';
import { gmailHarness, googleCalendarHarness } from '../../support/google-server/harness.js';
import { syncAll } from '../calendar/contract.js';

const PROJECT = '861228239640';
const disabled = (api: string, service: string) =>
  `${api} has not been used in project ${PROJECT} before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/${service}/overview?project=${PROJECT} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('403 accessNotConfigured: the API is not turned on in the OAuth client\'s project', () => {
  it('Gmail: the account is unusable until the Gmail API is turned on, with the address to turn it on; no draft is written, and a later call works', async () => {
    const harness = await gmailHarness();
    closers.push(() => harness.close());
    const email = composedEmail();
    await harness.mailbox.findByMessageId(email.messageId);
    harness.server.failNext(1, { status: 403, reason: 'accessNotConfigured', message: disabled('Gmail API', 'gmail.googleapis.com') });
    const error = await harness.mailbox.createDraft(email).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AccountUnusableError);
    expect(accountTrouble(error)).toBe('unusable');
    const config = { type: 'gmail', id: 'mail' } as unknown as MailboxConfig;
    const fix = fixFor(config, 'unusable', error);
    expect(fix).toContain('Gmail API');
    expect(fix).toContain(`https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=${PROJECT}`);
    expect(fix).not.toMatch(/folders|sign in again/);
    expect(harness.server.gmail.drafts()).toHaveLength(0);
    // Turned on: the same step goes through.
    await harness.mailbox.createDraft(email);
    expect(harness.server.gmail.drafts()).toHaveLength(1);
  });

  it('Calendar: the sync fails as the account unusable, naming the Google Calendar API and where to turn it on', async () => {
    const harness = await googleCalendarHarness();
    closers.push(() => harness.server.close());
    await syncAll(harness.source, null);
    harness.server.failNext(1, { status: 403, reason: 'accessNotConfigured', message: disabled('Google Calendar API', 'calendar-json.googleapis.com') });
    const error = await syncAll(harness.source, null).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AccountUnusableError);
    const config = { type: 'google', id: 'work' } as unknown as CalendarConfig;
    const fix = fixFor(config, 'unusable', error);
    expect(fix).toContain('Google Calendar API');
    expect(fix).toContain(`https://console.developers.google.com/apis/api/calendar-json.googleapis.com/overview?project=${PROJECT}`);
  });
});
