// Issue #16: the neighbours of every rule of the final bytes (src/core/message/prepare.ts). A profile default
// next to the document's own field, SMTPUTF8 next to 7-bit, a bytes input next to a string (with a BOM, in
// Latin-1, with LF or CRLF), a fold next to a line break that starts a field, the last header guard on its
// own, and what the review is told (blind copies, the subject). Assertions are on the bytes that leave and
// on what the next module reads (needsSmtpUtf8, has8BitBody, blindRecipients), never on internals.
import * as assert from 'node:assert/strict';
import PostalMime from 'postal-mime';
import { codes, prepareMessage, scanMessage } from '../../../src/core/message';
import { prepareChecked, unsafeHeaderField } from '../../../src/core/message/prepare';
import type { PrepareOptions, PrepareResult, PreparedMessage } from '../../../src/core/message';
import type { Problem } from '../../../src/core/types';

const ZERO = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const DATE = 'Date: Mon, 23 Nov 2026 09:15:00 +0000';
const ID = 'Message-ID: <m1@x.example>';
const now = new Date('2026-11-23T09:30:00Z');
const NOW_DATE = 'Date: Mon, 23 Nov 2026 09:30:00 +0000';

/** Header lines and a body, joined with `eol`. */
const doc = (lines: string[], body = 'Hello.', eol = '\r\n') => lines.join(eol) + eol + eol + body + eol;

function sent(result: PrepareResult): PreparedMessage {
  assert.ok(result.ok, JSON.stringify(result.problems));
  return result.message;
}

/** The header block of the bytes, one entry a field (folds kept inside the entry). */
function headerFields(message: PreparedMessage): string[] {
  const header = message.raw.toString('latin1').split('\r\n\r\n')[0];
  return header.split(/\r\n(?![ \t])/);
}

function body(message: PreparedMessage): Buffer {
  const raw = message.raw;
  return raw.subarray(raw.indexOf('\r\n\r\n') + 4);
}

function prepare(lines: string[], options: PrepareOptions = {}, bodyText = 'Hello.'): PreparedMessage {
  return sent(prepareMessage(doc(lines, bodyText), { now, ...options }));
}

describe('unsafeHeaderField: the last guard before the wire', () => {
  const accepted = [
    'Subject: x',
    'Subject : x', // obsolete space before the colon (RFC 5322 section 4.5) is kept as written
    'Subject\t: x',
    'X-A!~;9<=>?@[]: y', // "!" and "~", "9" and ";": the ends of the ranges a field name may use
    'Subject: a\r\n b',
    'Subject: a\r\n\tb',
    'Subject: a\r\n b\r\n\tc',
    'Subject: \t tab and spaces ~',
    'Subject:',
  ];
  for (const field of accepted) {
    it(`lets ${JSON.stringify(field)} through`, () => {
      assert.equal(unsafeHeaderField([field]), undefined);
    });
  }

  const refused: Array<[string, string]> = [
    [' Subject: x', 'a header field would not start with a name and a colon (" Subject: x"): not sent'],
    ['Sub ject: x', 'a header field would not start with a name and a colon ("Sub ject: x"): not sent'],
    [': x', 'a header field would not start with a name and a colon (": x"): not sent'],
    ['Subject', 'a header field would not start with a name and a colon ("Subject"): not sent'],
    ['X\x7fA: y', 'a header field would not start with a name and a colon ("X\x7fA: y"): not sent'],
    ['Averyveryverylongfieldnamewithoutcolon', 'a header field would not start with a name and a colon ("Averyveryverylongfie"): not sent'],
    ['Subject: a\r\nBcc: e@x.example', 'Subject would hold a line break that starts a new header field (header injection): not sent'],
    ['Subject: a\r\n', 'Subject would hold a line break that starts a new header field (header injection): not sent'],
    ['Subject: a\r\n\r\n b', 'Subject would hold a line break that starts a new header field (header injection): not sent'],
    ['Subject: a\rb', 'Subject would hold a line break that starts a new header field (header injection): not sent'],
    ['Subject: a\r', 'Subject would hold a line break that starts a new header field (header injection): not sent'],
    ['Subject: a\r  b', 'Subject would hold a line break that starts a new header field (header injection): not sent'], // a bare CR then spaces: no fold
    ['Subject: a\n b', 'Subject would hold a line break that starts a new header field (header injection): not sent'],
    ['Subject: a\x00', 'Subject would hold the control character \\x00 (header injection): not sent'],
    ['Subject: a\x0b', 'Subject would hold the control character \\x0b (header injection): not sent'],
    ['Subject: a\x1f', 'Subject would hold the control character \\x1f (header injection): not sent'],
    ['Subject: a\x7f', 'Subject would hold the control character \\x7f (header injection): not sent'],
    ['X-Obs : a\x1b[2J', 'X-Obs would hold the control character \\x1b (header injection): not sent'],
  ];
  for (const [field, why] of refused) {
    it(`refuses ${JSON.stringify(field)}`, () => {
      assert.equal(unsafeHeaderField([field]), why);
    });
  }

  it('checks every field: the first unsafe one after safe ones is named', () => {
    assert.equal(unsafeHeaderField(['From: a@x.example', 'To: b@x.example', 'X-B: 1\x01', 'X-C: 2\x02']), 'X-B would hold the control character \\x01 (header injection): not sent');
    assert.equal(unsafeHeaderField([]), undefined);
  });

  it('stops a default that would inject a field even when the rules were not asked (prepareChecked with no problems)', () => {
    const scanned = scanMessage(doc(['From: a@x.example', 'To: b@x.example', DATE, ID]));
    for (const smtpUtf8 of [false, true]) {
      const result = prepareChecked(scanned, [], { smtpUtf8, defaults: { subject: 'Hi\r\nBcc: e@x.example' } });
      assert.deepEqual(result, {
        ok: false,
        problems: [
          {
            code: codes.HEADER_CONTROL_CHAR,
            severity: 'error',
            message: 'Subject would hold a line break that starts a new header field (header injection): not sent',
            range: ZERO,
          },
        ],
      });
    }
  });
});

describe('prepare: what the document says next to what a profile default says', () => {
  it('each of From, To, Cc fills only a document that lacks it, after the document\'s fields, then Date and Message-ID', () => {
    const m = prepare(['Subject: s'], { defaults: { from: 'Dee <d@x.example>', to: 't@x.example; u@x.example', cc: 'c@x.example', bcc: 'h@x.example' } });
    assert.deepEqual(headerFields(m), [
      'Subject: s',
      'From: Dee <d@x.example>',
      'To: t@x.example, u@x.example',
      'Cc: c@x.example',
      NOW_DATE,
      `Message-ID: ${m.messageId}`,
    ]);
    assert.deepEqual(m.envelope, { from: 'd@x.example', to: ['t@x.example', 'u@x.example', 'c@x.example', 'h@x.example'] });

    const own = prepare(['From: a@x.example', 'To: b@x.example', 'cc: e@x.example', 'subject: mine', DATE, ID], {
      defaults: { from: 'd@x.example', to: 't@x.example', cc: 'c@x.example', subject: 'default' },
    });
    assert.deepEqual(headerFields(own), ['From: a@x.example', 'To: b@x.example', 'cc: e@x.example', 'subject: mine', DATE, ID]);
    assert.equal(own.subject, 'mine');
  });

  it('only Cc from the defaults when the document has From and To', () => {
    const m = prepare(['From: a@x.example', 'To: b@x.example', 'Subject: s', DATE, ID], { defaults: { cc: 'c@x.example' } });
    assert.deepEqual(headerFields(m), ['From: a@x.example', 'To: b@x.example', 'Subject: s', DATE, ID, 'Cc: c@x.example']);
    assert.deepEqual(m.envelope.to, ['b@x.example', 'c@x.example']);
  });

  it('a blank default, or one that names no one, adds no field', () => {
    for (const cc of ['', '   ', '(nobody)']) {
      const m = prepare(['From: a@x.example', 'To: b@x.example', 'Subject: s', DATE, ID], { defaults: { cc, subject: '  ' } });
      assert.deepEqual(headerFields(m), ['From: a@x.example', 'To: b@x.example', 'Subject: s', DATE, ID], JSON.stringify(cc));
    }
    const noSubject = prepare(['From: a@x.example', 'To: b@x.example', DATE, ID], { defaults: { subject: ' \t ' } });
    assert.deepEqual(headerFields(noSubject), ['From: a@x.example', 'To: b@x.example', DATE, ID]);
    assert.equal('subject' in noSubject, false);
  });

  it('a default Subject: trimmed; encoded and folded for a 7-bit server, as written for an SMTPUTF8 one', async () => {
    const subject = ' Réunion du lundi: ordre du jour, salle, horaires et tout ce qui reste à régler avant vendredi ';
    const seven = prepare(['From: a@x.example', 'To: b@x.example', DATE, ID], { defaults: { subject } });
    assert.equal(seven.subject, subject.trim());
    assert.equal(seven.needsSmtpUtf8, false);
    const header = seven.raw.toString('latin1').split('\r\n\r\n')[0];
    assert.doesNotMatch(header, /[^\x00-\x7f]/);
    for (const line of header.split('\r\n')) assert.ok(line.length <= 78, line);
    assert.equal((await PostalMime.parse(seven.raw)).subject, subject.trim());

    const utf8 = prepare(['From: a@x.example', 'To: b@x.example', DATE, ID], { smtpUtf8: true, defaults: { subject } });
    assert.equal((await PostalMime.parse(utf8.raw)).subject, subject.trim());
    assert.equal(utf8.subject, subject.trim());
    // Raw UTF-8 in a header field needs SMTPUTF8 (RFC 6531 section 3.4), wherever the text came from.
    assert.equal(utf8.needsSmtpUtf8, true);
    const short = prepare(['From: a@x.example', 'To: b@x.example', DATE, ID], { smtpUtf8: true, defaults: { subject: ' Réunion lundi ' } });
    assert.deepEqual(headerFields(short).slice(2), [DATE, ID, Buffer.from('Subject: Réunion lundi', 'utf8').toString('latin1')]);

    const ascii = prepare(['From: a@x.example', 'To: b@x.example', DATE, ID], { smtpUtf8: true, defaults: { subject: ' plain ' } });
    assert.deepEqual(headerFields(ascii).slice(2), [DATE, ID, 'Subject: plain']);
    assert.equal(ascii.needsSmtpUtf8, false);
  });

  it('a default address with a UTF-8 display name or domain: encoded for a 7-bit server; kept, and SMTPUTF8 needed, for an SMTPUTF8 one', () => {
    const defaults = { to: 'Jörg <j@bücher.example>', cc: 'c@x.example' };
    const seven = prepare(['From: a@x.example', 'Subject: s', DATE, ID], { defaults });
    assert.equal(headerFields(seven).at(-2), 'To: =?UTF-8?Q?J=C3=B6rg?= <j@xn--bcher-kva.example>');
    assert.equal(seven.needsSmtpUtf8, false);
    const utf8 = prepare(['From: a@x.example', 'Subject: s', DATE, ID], { smtpUtf8: true, defaults });
    assert.deepEqual(headerFields(utf8).slice(-2), [Buffer.from('To: "Jörg" <j@bücher.example>', 'utf8').toString('latin1'), 'Cc: c@x.example']);
    assert.equal(utf8.needsSmtpUtf8, true);
    assert.deepEqual(utf8.envelope.to, ['j@xn--bcher-kva.example', 'c@x.example']);
  });

  it('a default From with a UTF-8 local part needs SMTPUTF8 even when Sender, not From, is MAIL FROM', () => {
    const m = prepare(['Sender: s@x.example', 'To: b@x.example', 'Subject: s', DATE, ID], { defaults: { from: 'b@x.example, jörg@x.example' } });
    assert.equal(m.envelope.from, 's@x.example');
    assert.equal(headerFields(m).at(-1), Buffer.from('From: b@x.example, jörg@x.example', 'utf8').toString('latin1'));
    assert.equal(m.needsSmtpUtf8, true);
  });

  it('the Message-ID\'s domain: the option, else From\'s domain in ASCII, else the default "from"\'s', () => {
    const lines = ['From: a@bücher.example', 'To: b@x.example', 'Subject: s', DATE];
    assert.match(prepare(lines).messageId, /^<[0-9a-f]{32}@xn--bcher-kva\.example>$/);
    assert.match(prepare(lines, { messageIdDomain: 'mx.example.net' }).messageId, /^<[0-9a-f]{32}@mx\.example\.net>$/);
    assert.match(prepare(['To: b@x.example', 'Subject: s', DATE], { defaults: { from: 'd@default.example' } }).messageId, /^<[0-9a-f]{32}@default\.example>$/);
    assert.match(prepare(['From: a@x.example', 'Sender: s@sender.example', 'To: b@x.example', 'Subject: s', DATE]).messageId, /@x\.example>$/);
  });

  it('a Message-ID written with spaces around it is sent as written and reported without them', () => {
    const m = prepare(['From: a@x.example', 'To: b@x.example', 'Subject: s', DATE, 'Message-ID:   <m1@x.example>  ']);
    assert.equal(m.messageId, '<m1@x.example>');
    assert.deepEqual(headerFields(m).slice(-1), ['Message-ID:   <m1@x.example>  ']);
  });

  it('a document that has a Date keeps it; one without gets the clock\'s, once', () => {
    const m = prepare(['From: a@x.example', 'To: b@x.example', 'Subject: s', ID]);
    assert.deepEqual(
      headerFields(m).filter((f) => /^date:/i.test(f)),
      [NOW_DATE],
    );
    const kept = prepare(['From: a@x.example', 'To: b@x.example', 'Subject: s', 'DATE: Sun, 22 Nov 2026 08:00:00 +0000', ID]);
    assert.deepEqual(
      headerFields(kept).filter((f) => /^date:/i.test(f)),
      ['DATE: Sun, 22 Nov 2026 08:00:00 +0000'],
    );
  });
});

describe('prepare: the document\'s fields on the wire', () => {
  it('an ASCII field goes out exactly as written; LF and folds become CRLF', () => {
    const text = doc(['From: a@x.example', 'To: b@x.example,', ' c@x.example (Cee)', 'Subject:   two  spaces  ', DATE, ID], 'line one\nline two', '\n');
    const m = sent(prepareMessage(text, { now }));
    assert.deepEqual(headerFields(m), ['From: a@x.example', 'To: b@x.example,\r\n c@x.example (Cee)', 'Subject:   two  spaces  ', DATE, ID]);
    assert.equal(body(m).toString('latin1'), 'line one\r\nline two\r\n');
    assert.equal(m.subject, 'two  spaces');
  });

  it('a list separated with ";" goes out with ","; SMTPUTF8 needed only when its text stays UTF-8', () => {
    const lines = ['From: a@x.example', 'To: Jörg <j@x.example>; b@x.example', 'Subject: s', DATE, ID];
    const seven = prepare(lines);
    assert.equal(headerFields(seven)[1], 'To: =?UTF-8?Q?J=C3=B6rg?= <j@x.example>, b@x.example');
    assert.equal(seven.needsSmtpUtf8, false);
    const utf8 = prepare(lines, { smtpUtf8: true });
    assert.equal(headerFields(utf8)[1], Buffer.from('To: "Jörg" <j@x.example>, b@x.example', 'utf8').toString('latin1'));
    assert.equal(utf8.needsSmtpUtf8, true);
    assert.equal(utf8.envelope.to.length, 2);
  });

  it('UTF-8 text: kept for an SMTPUTF8 server (SMTPUTF8 needed); encoded for a 7-bit one, unless it cannot be', () => {
    const lines = ['From: a@x.example', 'To: b@x.example', 'Subject: Grüße', 'X-Note: café', DATE, ID];
    const seven = prepare(lines);
    assert.deepEqual(headerFields(seven).slice(2, 4), ['Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=', 'X-Note: =?UTF-8?Q?caf=C3=A9?=']);
    assert.equal(seven.needsSmtpUtf8, false);
    assert.equal(seven.subject, 'Grüße');
    const utf8 = prepare(lines, { smtpUtf8: true });
    assert.deepEqual(headerFields(utf8).slice(2, 4), [Buffer.from('Subject: Grüße', 'utf8').toString('latin1'), Buffer.from('X-Note: café', 'utf8').toString('latin1')]);
    assert.equal(utf8.needsSmtpUtf8, true);
    // A structured field may not hold encoded-words (RFC 2047 section 5), a UTF-8 local part cannot be encoded:
    // both stay as written, and need SMTPUTF8.
    for (const field of ['Content-Type:  text/plain; name="é"', 'Reply-To:  jörg@x.example  ']) {
      const m = prepare(['From: a@x.example', 'To: b@x.example', 'Subject: s', field, DATE, ID]);
      assert.equal(headerFields(m)[3], Buffer.from(field, 'utf8').toString('latin1'));
      assert.equal(m.needsSmtpUtf8, true, field);
    }
  });

  it('a field that is not an address list is never rewritten as one, whatever ";" it holds', () => {
    const m = prepare(['From: a@x.example', 'To: b@x.example', 'Subject: a@x.example; b@x.example', 'Comments: c@x.example;  d', DATE, ID]);
    assert.deepEqual(headerFields(m).slice(2, 4), ['Subject: a@x.example; b@x.example', 'Comments: c@x.example;  d']);
  });

  it('Bcc and Resent-Bcc never leave; Resent-Cc and every other field do', () => {
    const m = prepare([
      'From: a@x.example',
      'To: b@x.example',
      'BCC: h@x.example',
      'Resent-From: a@x.example',
      'Resent-Cc: rc@x.example',
      'resent-bcc: rb@x.example',
      'Subject: s',
      DATE,
      ID,
    ]);
    assert.deepEqual(headerFields(m), ['From: a@x.example', 'To: b@x.example', 'Resent-From: a@x.example', 'Resent-Cc: rc@x.example', 'Subject: s', DATE, ID]);
    assert.deepEqual(m.envelope.to, ['b@x.example', 'h@x.example']);
  });
});

describe('prepare: blind recipients, as the review shows them', () => {
  it('the RCPT TO that come only from Bcc, in the envelope\'s spelling', () => {
    const m = prepare(['From: a@x.example', 'To: b@x.example', 'Bcc: "h.i"@x.example, Team: j@x.example;', 'Subject: s', DATE, ID]);
    assert.deepEqual(m.envelope.to, ['b@x.example', 'h.i@x.example', 'j@x.example']);
    assert.deepEqual(m.blindRecipients, ['h.i@x.example', 'j@x.example']);
    const none = prepare(['From: a@x.example', 'To: b@x.example', 'Subject: s', DATE, ID]);
    assert.deepEqual(none.blindRecipients, []);
    const byDefault = prepare(['From: a@x.example', 'To: b@x.example', 'Subject: s', DATE, ID], { defaults: { bcc: 'Archive <archive@x.example>' } });
    assert.deepEqual(byDefault.blindRecipients, ['archive@x.example']);
  });

  it('a mailbox also in To or Cc is not blind: every recipient sees it there', () => {
    const same = prepare(['From: a@x.example', 'To: b@X.example', 'Cc: c@x.example', 'Bcc: b@x.example, "c"@x.example, d@x.example', 'Subject: s', DATE, ID]);
    assert.deepEqual(same.envelope.to, ['b@X.example', 'c@x.example', 'd@x.example']);
    assert.deepEqual(same.blindRecipients, ['d@x.example']);
    // The local part is case-sensitive (RFC 5321 section 2.4): B@ and b@ are two mailboxes, two RCPT TO.
    const two = prepare(['From: a@x.example', 'To: B@x.example', 'Bcc: b@x.example', 'Subject: s', DATE, ID]);
    assert.deepEqual(two.envelope.to, ['B@x.example', 'b@x.example']);
    assert.deepEqual(two.blindRecipients, ['b@x.example']);
  });
});

describe('prepare: the subject the review and the history show', () => {
  it('no Subject and no default: sent (a warning), with no subject and no Subject field', () => {
    const result = prepareMessage(doc(['From: a@x.example', 'To: b@x.example', DATE, ID]), { now });
    const m = sent(result);
    assert.deepEqual(headerFields(m), ['From: a@x.example', 'To: b@x.example', DATE, ID]);
    assert.equal('subject' in m, false);
    assert.deepEqual(
      result.problems.map((p) => [p.code, p.severity]),
      [[codes.MISSING_SUBJECT, 'warning']],
    );
  });

  it('the document\'s Subject trimmed; an empty one is no subject, and no default replaces it', () => {
    assert.equal(prepare(['From: a@x.example', 'To: b@x.example', 'Subject:   Hi there  ', DATE, ID]).subject, 'Hi there');
    const empty = prepare(['From: a@x.example', 'To: b@x.example', 'Subject:   ', DATE, ID], { defaults: { subject: 'Default' } });
    assert.equal('subject' in empty, false);
    assert.deepEqual(headerFields(empty), ['From: a@x.example', 'To: b@x.example', 'Subject:   ', DATE, ID]);
  });
});

describe('prepare: the body\'s bytes', () => {
  const header = ['From: a@x.example', 'To: b@x.example', 'Subject: Grüße', DATE, ID];

  it('UTF-8 bytes with CRLF: the body is the input\'s own bytes, after a header with multi-byte characters', () => {
    const bodyBytes = Buffer.from('Grüße aus Köln\r\n\r\n.\r\nEnde\r\n', 'utf8');
    const input = Buffer.concat([Buffer.from(header.join('\r\n') + '\r\n\r\n', 'utf8'), bodyBytes]);
    const m = sent(prepareMessage(input, { now }));
    assert.ok(body(m).equals(bodyBytes));
    assert.equal(m.has8BitBody, true);
    assert.equal(m.size, m.raw.length);
  });

  it('the same after a byte-order mark, which is not sent', () => {
    const bodyBytes = Buffer.from('Grüße\r\n', 'utf8');
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(header.join('\r\n') + '\r\n\r\n', 'utf8'), bodyBytes]);
    const m = sent(prepareMessage(input, { now }));
    assert.ok(body(m).equals(bodyBytes));
    assert.equal(m.raw.subarray(0, 6).toString('latin1'), 'From: ');
  });

  it('Latin-1 bytes (not UTF-8) go back to the same bytes, with CRLF or with LF made CRLF', () => {
    const latin1Header = ['From: a@x.example', 'To: b@x.example', 'Subject: caf\xe9 cr\xe8me', DATE, ID];
    for (const eol of ['\r\n', '\n']) {
      const input = Buffer.from(latin1Header.join(eol) + eol + eol + `caf\xe9${eol}cr\xe8me br\xfbl\xe9e${eol}`, 'latin1');
      const m = sent(prepareMessage(input, { now }));
      assert.ok(body(m).equals(Buffer.from('caf\xe9\r\ncr\xe8me br\xfbl\xe9e\r\n', 'latin1')), JSON.stringify(eol));
      assert.equal(m.has8BitBody, true);
    }
  });

  it('an ASCII body is 7-bit whatever the header holds; a string body with UTF-8 is 8-bit', () => {
    assert.equal(prepare(header, {}, 'plain').has8BitBody, false);
    assert.equal(prepare(header, { smtpUtf8: true }, 'plain').has8BitBody, false);
    const utf8 = prepare(['From: a@x.example', 'To: b@x.example', 'Subject: s', DATE, ID], {}, 'caf\u00e9');
    assert.equal(utf8.has8BitBody, true);
    assert.ok(body(utf8).equals(Buffer.from('café\r\n', 'utf8')));
  });

  it('a bare CR in the body is a line break: sent as CRLF, from a string or from bytes', () => {
    const text = doc(['From: a@x.example', 'To: b@x.example', 'Subject: s', DATE, ID], 'one\rtwo');
    for (const input of [text, Buffer.from(text, 'latin1')]) {
      const m = sent(prepareMessage(input, { now }));
      assert.equal(body(m).toString('latin1'), 'one\r\ntwo\r\n', typeof input);
    }
  });

  it('ASCII bytes are a 7-bit body', () => {
    const m = sent(prepareMessage(Buffer.from(doc(['From: a@x.example', 'To: b@x.example', 'Subject: s', DATE, ID], 'plain'), 'latin1'), { now }));
    assert.equal(m.has8BitBody, false);
  });

  it('a document with no body at all ends with the empty line after the header', () => {
    const m = sent(prepareMessage('From: a@x.example\r\nTo: b@x.example\r\nSubject: s\r\n' + DATE + '\r\n' + ID + '\r\n', { now }));
    assert.equal(m.raw.toString('latin1'), `From: a@x.example\r\nTo: b@x.example\r\nSubject: s\r\n${DATE}\r\n${ID}\r\n\r\n`);
    assert.equal(m.has8BitBody, false);
  });
});

describe('prepareChecked: the problems it is given and those of the envelope', () => {
  const text = doc(['From: a@x.example', 'To: b@x.example', 'Subject: s', DATE, ID]);
  const warning = (line: number, code = 'some-warning'): Problem => ({
    code,
    severity: 'warning',
    message: `w${line}`,
    range: { start: { line, character: 0 }, end: { line, character: 1 } },
  });

  it('warnings do not stop the send and come back in document order; one error does', () => {
    const ok = prepareChecked(scanMessage(text), [warning(3), warning(1)]);
    assert.ok(ok.ok);
    assert.deepEqual(ok.problems, [warning(1), warning(3)]);
    const error: Problem = { ...warning(2), severity: 'error' };
    assert.deepEqual(prepareChecked(scanMessage(text), [warning(3), error]), { ok: false, problems: [error, warning(3)] });
  });

  it('adds the envelope\'s problems the rules did not report, each once', () => {
    const bad = doc(['From: a@x.example', 'To: "b c"@x.example, "d e"@x.example', 'Subject: s', DATE, ID]);
    const alone = prepareChecked(scanMessage(bad), []);
    assert.equal(alone.ok, false);
    assert.deepEqual(
      alone.problems.map((p) => [p.code, p.range.start.character]),
      [
        [codes.ENVELOPE_BAD_ADDRESS, 4],
        [codes.ENVELOPE_BAD_ADDRESS, 21],
      ],
    );
    // prepareMessage runs the rules first, which report the same two: still two.
    assert.deepEqual(prepareMessage(bad).problems, alone.problems);
    // Two refused profile defaults are both at no place with one code: both are reported.
    const defaults = prepareChecked(scanMessage(doc(['From: a@x.example', 'Subject: s', DATE, ID])), [], { defaults: { to: '"b c"@x.example, "d e"@x.example' } });
    assert.deepEqual(
      defaults.problems.map((p) => [p.code, p.message.slice(0, 'profile default "to": <"b c"@x.example>'.length)]),
      [
        [codes.ENVELOPE_BAD_ADDRESS, 'profile default "to": <"b c"@x.example>'],
        [codes.ENVELOPE_BAD_ADDRESS, 'profile default "to": <"d e"@x.example>'],
      ],
    );
    // A problem of another code at the same place is not the same problem.
    const other = { ...alone.problems[0], code: 'another', severity: 'warning' as const };
    assert.deepEqual(
      prepareChecked(scanMessage(bad), [other]).problems.map((p) => p.code),
      [codes.ENVELOPE_BAD_ADDRESS, 'another', codes.ENVELOPE_BAD_ADDRESS],
    );
  });
});
