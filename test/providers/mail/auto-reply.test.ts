/**
 * The one decision on automatic replies, over header sets as mail systems write them and as people
 * write them. Each row: the fields, then the reason expected (null: a person wrote it).
 */
import { describe, expect, it } from 'vitest';
import { automaticReason, type HeaderField } from '../../../src/providers/mail/auto-reply.js';
import { headerFields } from '../../../src/providers/mail/mime.js';

const PERSON: HeaderField[] = [
  ['From', 'Lee Chen <lee@corp.example>'],
  ['Subject', 'Re: Confirming our call on Tuesday at 10:00'],
  ['In-Reply-To', '<ringback.iv1.confirmation.1@example.org>'],
];

const rows: Array<[string, HeaderField[], string | null]> = [
  ['a person answering', PERSON, null],
  [
    'Exchange out-of-office',
    [
      ['From', 'Lee Chen <lee@corp.example>'],
      ['Subject', 'Automatic reply: Confirming our call on Tuesday at 10:00'],
      ['X-Auto-Response-Suppress', 'All'],
      ['X-MS-Exchange-Inbox-Rules-Loop', 'lee@corp.example'],
      ['auto-submitted', 'auto-generated'],
      ['x-ms-exchange-generated-message-source', 'Mailbox Rules Agent'],
    ],
    'Auto-Submitted: auto-generated',
  ],
  ['Gmail vacation responder', [...PERSON, ['Auto-Submitted', 'auto-replied']], 'Auto-Submitted: auto-replied'],
  ['Sieve vacation, with a comment', [...PERSON, ['Auto-Submitted', 'auto-replied (vacation)'], ['Precedence', 'bulk']], 'Auto-Submitted: auto-replied'],
  ['RFC 3834 with parameters, any case', [...PERSON, ['AUTO-SUBMITTED', 'Auto-Replied; owner-email="lee@corp.example"']], 'Auto-Submitted: auto-replied'],
  ['auto-notified', [...PERSON, ['Auto-Submitted', 'auto-notified']], 'Auto-Submitted: auto-notified'],
  ['Auto-Submitted: no is a person, whatever else it says', [...PERSON, ['Auto-Submitted', 'no'], ['Precedence', 'junk']], null],
  ['Auto-Submitted: no beats an out-of-office subject', [['Subject', 'Automatic reply: hello'], ['Auto-Submitted', 'no']], null],
  ['X-Autoreply: yes', [...PERSON, ['X-Autoreply', 'yes']], 'X-Autoreply: yes'],
  ['X-Autorespond', [...PERSON, ['X-Autorespond', 'Lee is away']], 'X-Autorespond: Lee is away'],
  ['X-Autoreply: no', [...PERSON, ['X-Autoreply', 'no']], null],
  ['Precedence: auto_reply', [...PERSON, ['Precedence', 'auto_reply']], 'Precedence: auto_reply'],
  ['Precedence: junk', [...PERSON, ['Precedence', 'Junk']], 'Precedence: junk'],
  ['a person posting through a Google Group (Precedence: list)', [...PERSON, ['Precedence', 'list'], ['Mailing-list', 'list recruiting@googlegroups.com'], ['X-Google-Group-Id', '304886998071']], null],
  ['a person posting through groups.io (Precedence: Bulk)', [...PERSON, ['Precedence', 'Bulk'], ['List-Id', '<recruiting.groups.io>']], null],
  ['Precedence: first-class is no sign', [...PERSON, ['Precedence', 'first-class']], null],
  ['X-Auto-Response-Suppress alone is what a sender asks, not a sign', [...PERSON, ['X-Auto-Response-Suppress', 'All']], null],
  ['an inbox rule that forwarded a person’s mail', [...PERSON, ['X-MS-Exchange-Inbox-Rules-Loop', 'assistant@corp.example']], null],
  ['a multipart/report', [...PERSON, ['Content-Type', 'multipart/report; report-type=delivery-status; boundary="b"']], 'a delivery report'],
  ['Gmail’s bounce', [['From', 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>'], ['Subject', 'Delivery Status Notification (Failure)'], ['In-Reply-To', '<ringback.iv1.confirmation.1@example.org>']], 'a delivery report'],
  ['a bounce that also says Auto-Submitted is named a delivery report', [['From', 'mailer-daemon@googlemail.com'], ['Subject', 'Delivery Status Notification (Failure)'], ['Auto-Submitted', 'auto-replied']], 'a delivery report'],
  ['a postmaster', [['From', 'postmaster@corp.example'], ['Subject', 'Re: your message']], 'a delivery report'],
  ['Exim’s X-Failed-Recipients', [...PERSON, ['X-Failed-Recipients', 'lee@corp.example']], 'a delivery report'],
  ['subject only: Automatic reply', [['Subject', 'Automatic reply: Confirming our call']], 'its subject starts with "Automatic reply:"'],
  ['subject only: Out of Office', [['Subject', 'Out of Office: Confirming our call']], 'its subject starts with "Out of Office:"'],
  ['subject only: Abwesenheitsnotiz', [['Subject', 'Abwesenheitsnotiz: Bestätigung']], 'its subject starts with "Abwesenheitsnotiz:"'],
  ['subject only: French, space before the colon', [['Subject', 'Réponse automatique : Confirmation']], 'its subject starts with "Réponse automatique:"'],
  ['subject only: Spanish', [['Subject', 'Respuesta automática: Confirmación']], 'its subject starts with "Respuesta automática:"'],
  ['subject only: encoded word', [['Subject', '=?utf-8?Q?R=C3=A9ponse_automatique=C2=A0:_Confirmation?=']], 'its subject starts with "Réponse automatique:"'],
  ['subject only: Japanese, full-width colon', [['Subject', '自動応答：確認']], 'its subject starts with "自動応答:"'],
  ['subject only: RFC 3834 Auto:', [['Subject', 'Auto: Confirming our call']], 'its subject starts with "Auto:"'],
  ['a person writing about being out of office', [['Subject', 'Out of office next week, can we move the call?']], null],
  ['a person quoting an automatic reply later in the subject', [['Subject', 'Re: Automatic reply: Confirming our call']], null],
  ['a person whose subject starts with the word Automatic', [['Subject', 'Automatic replies are annoying, sorry about that']], null],
  ['a person writing about an autoreply', [['Subject', 'Autoreplying is off now: yes, 10:00 works']], null],
  ['nothing at all', [], null],
];

describe('automaticReason', () => {
  it.each(rows)('%s', (_, fields, expected) => {
    expect(automaticReason(fields)).toBe(expected);
  });

  it('reads the fields of a raw header block as the Maildir and IMAP adapters hand them over', () => {
    const raw = (lines: string[]): Buffer => Buffer.from([...lines, '', 'body', ''].join('\r\n'));
    expect(automaticReason(headerFields(raw(['From: lee@corp.example', 'Subject: Away', 'Auto-Submitted: auto-replied'])))).toBe('Auto-Submitted: auto-replied');
    expect(automaticReason(headerFields(raw(['From: lee@corp.example', 'Subject: Re: our call'])))).toBeNull();
    // A folded value is read whole; a header in the body is not a header.
    expect(automaticReason(headerFields(raw(['From: lee@corp.example', 'Subject: Away', 'Auto-Submitted:', ' auto-generated'])))).toBe('Auto-Submitted: auto-generated');
    expect(automaticReason(headerFields(Buffer.from('From: lee@corp.example\r\nSubject: Re: our call\r\n\r\nAuto-Submitted: auto-replied\r\n')))).toBeNull();
  });
});
