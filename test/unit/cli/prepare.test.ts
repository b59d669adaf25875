import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { fixture } from '../../support/paths';
import { recordingIo } from './checkIo';

describe('mailsmith prepare', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-prepare-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the envelope, then exactly the bytes that would be sent', async () => {
    const io = recordingIo();
    const code = await main(['prepare', 'samples/with-bcc.eml'], io);
    assert.equal(code, 0, io.err);
    const [head, raw] = io.out.split(/--- message: the \d+ bytes below, CRLF line endings ---\n/);
    assert.equal(
      head,
      'MAIL FROM:<erin@example.com>\nRCPT TO:<team@example.org>\nRCPT TO:<frank@example.net>\nRCPT TO:<archive@example.com>\n' +
        `Size: ${Buffer.byteLength(raw)} bytes; SMTPUTF8: not needed; 8-bit body: no\nMessage-ID: <agenda-friday@example.com>\nNo local files travel with it.\n`,
    );
    assert.match(raw, /^From: Erin Organiser <erin@example\.com>\r\nTo: Team <team@example\.org>\r\nSubject: /);
    assert.doesNotMatch(raw, /Bcc|frank/);
  });

  for (const sample of ['plain-text', 'multipart-attachment', 'utf8-subject', 'with-bcc']) {
    it(`prepares the sample ${sample}.eml`, async () => {
      const io = recordingIo();
      assert.equal(await main(['prepare', `samples/${sample}.eml`, '--format', 'json'], io), 0, io.err);
      const out = JSON.parse(io.out);
      assert.ok(out.envelope.to.length > 0);
      assert.equal(io.err, '', 'no errors or warnings');
    });
  }

  it('fills what the document lacks from --defaults YAML (";" lists allowed) and adds Date from --now', async () => {
    const eml = join(dir, 'bare.eml');
    writeFileSync(eml, 'X-Note: only a body\n\nHello\n');
    const yaml = join(dir, 'defaults.yaml');
    writeFileSync(yaml, 'defaults:\n  from: Robot <robot@example.com>\n  to: a@example.org; b@example.org\n  bcc: audit@example.com\n  subject: Report\n');
    const io = recordingIo();
    const code = await main(['prepare', eml, '--defaults', yaml, '--now', '2026-11-23T09:30:00Z', '--format', 'json'], io);
    assert.equal(code, 0, io.err);
    const out = JSON.parse(io.out);
    assert.deepEqual(out.envelope, { from: 'robot@example.com', to: ['a@example.org', 'b@example.org', 'audit@example.com'] });
    assert.match(out.raw, /\r\nFrom: Robot <robot@example\.com>\r\nTo: a@example\.org, b@example\.org\r\nSubject: Report\r\nDate: Mon, 23 Nov 2026 09:30:00 \+0000\r\n/);
    assert.equal(out.size, Buffer.byteLength(out.raw));
    assert.doesNotMatch(out.raw, /audit/);
  });

  it('keeps UTF-8 headers with --smtputf8 and encodes them without', async () => {
    const plain = recordingIo();
    assert.equal(await main(['prepare', 'samples/utf8-subject.eml'], plain), 0);
    assert.match(plain.out, /^Subject: =\?UTF-8\?Q\?Gr=C3=BC=C3=9Fe/m);
    const utf8 = recordingIo();
    assert.equal(await main(['prepare', 'samples/utf8-subject.eml', '--smtputf8'], utf8), 0);
    assert.match(utf8.out, /^Subject: Grüße aus Köln/m);
  });

  it('shows bytes that are not UTF-8 as Latin-1, so they come back exactly', async () => {
    const io = recordingIo();
    const input = 'test/fixtures/message/prepare/latin1-body-bytes/input.eml';
    assert.equal(await main(['prepare', input, '--format', 'json'], io), 0, io.err);
    const out = JSON.parse(io.out);
    assert.equal(out.rawEncoding, 'latin1');
    const expected = readFileSync(fixture('message', 'prepare', 'latin1-body-bytes', 'expected.eml'));
    assert.ok(Buffer.from(out.raw, 'latin1').equals(expected));
  });

  it('exits 1 with the problems when the message cannot be sent', async () => {
    const io = recordingIo();
    const code = await main(['prepare', 'samples/broken.eml'], io);
    assert.equal(code, 1);
    assert.equal(io.out, '');
    assert.match(io.err, /^samples\/broken\.eml:1:1 error missing-from /m);
    assert.match(io.err, /cannot be sent until the errors above are fixed/);
  });

  it('exits 2 on usage errors, bad defaults and unreadable files', async () => {
    const badYaml = join(dir, 'bad.yaml');
    writeFileSync(badYaml, 'form: typo@example.com\n');
    const cases: Array<[string[], RegExp]> = [
      [['prepare'], /missing FILE/],
      [['prepare', 'a.eml', 'b.eml'], /too many arguments/],
      [['prepare', 'samples/plain-text.eml', '--defaults'], /--defaults needs a value/],
      [['prepare', 'samples/plain-text.eml', '--format'], /--format needs a value/],
      [['prepare', 'samples/plain-text.eml', '--format=xml'], /--format must be "text" or "json"/],
      [['prepare', 'samples/plain-text.eml', '--defaults', badYaml], /unknown key "form"/],
      [['prepare', 'samples/plain-text.eml', '--defaults', join(dir, 'missing.yaml')], /cannot read defaults/],
      [['prepare', 'samples/missing.eml'], /cannot read "samples\/missing\.eml": no such file/],
      [['prepare', 'samples/plain-text.eml', '--now', 'yesterday'], /--now needs an ISO date/],
    ];
    for (const [args, message] of cases) {
      const io = recordingIo();
      assert.equal(await main(args, io), 2, args.join(' '));
      assert.match(io.err, message);
    }
  });
});
