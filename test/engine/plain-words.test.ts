/**
 * What a send failed for good tells the note left in Drafts (engine/missed-notice.ts), from the
 * error it failed with: plain words only from a fault of the email itself. A wait's fix is about the
 * account and says ringback tries again; after the queue's last attempt it is no step for the draft.
 */
import { describe, expect, it } from 'vitest';
import { plainWordsOf } from '../../src/engine/failed-actions.js';
import { AccountUnusableError, PermanentError, TransientError } from '../../src/providers/errors.js';
import { smtpError } from '../../src/providers/mail/smtp.js';

/** The queue wraps the provider's error as the cause of its own (workers/policy.ts). */
const wrapped = (error: Error): Error => new Error(`failed: ${error.message}`, { cause: error });

describe('plainWordsOf', () => {
  it('takes the words and the step for the draft from a refusal of the email, thrown or wrapped', () => {
    // Through the real translation: "550 5.7.1 Message rejected as spam by Content Filtering."
    // (swiftmailer/swiftmailer#1244, as in refused-as-spam.int.test.ts).
    const refused = smtpError({ code: 'EMESSAGE', command: 'DATA', responseCode: 550, response: '550 5.7.1 Message rejected as spam by Content Filtering.' }, 'SMTP smtp.example.org:587');
    expect(refused).toBeInstanceOf(PermanentError);
    for (const error of [refused, wrapped(refused)]) {
      expect(plainWordsOf(error)).toEqual({ plain: 'the mail server took it for spam and refused it', fix: expect.stringContaining('change what may look like spam') });
    }
  });

  it('takes nothing from a wait that ran out of attempts: its fix is the account\'s, and says it tries again', () => {
    // Exchange Online's "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded", through the real translation.
    const waited = smtpError({ code: 'EMESSAGE', command: 'DATA', responseCode: 432, response: '432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname=BY5PR00MB0000]' }, 'SMTP smtp.office365.com:587');
    expect(waited).toBeInstanceOf(TransientError);
    expect(waited.fix).toContain('tries again');
    expect(plainWordsOf(waited)).toEqual({});
    expect(plainWordsOf(wrapped(waited))).toEqual({});
  });

  it('takes nothing from an unusable account, whose fix is the account\'s (such an error parks the send; were it to fail one, its fix is no step for the draft)', () => {
    const unusable = new AccountUnusableError('SMTP smtp.example.org:587: 550 5.1.8 Access denied, bad outbound sender', { fix: 'ask your administrator to unblock the account' });
    expect(plainWordsOf(wrapped(unusable))).toEqual({});
  });
});
