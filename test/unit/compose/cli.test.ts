import * as assert from 'node:assert/strict';
import { main } from '../../../src/cli/main';
import { recordingIo } from '../cli/checkIo';

describe('CLI on composed documents', () => {
  it('mailsmith prepare composes a .email.md file: the front matter as headers, multipart body, Bcc only in the envelope', async () => {
    const io = recordingIo();
    const status = await main(['prepare', 'test/fixtures/compose/front-matter/note.email.md', '--now', '2026-11-23T09:30:00Z'], io);
    assert.equal(status, 0, io.err);
    assert.match(io.out, /^MAIL FROM:<ann@example\.com>\nRCPT TO:<bob@example\.org>\nRCPT TO:<carol@example\.org>\nRCPT TO:<audit@example\.net>\n/);
    assert.match(io.out, /\r\nContent-Type: multipart\/mixed;\r\n boundary="/);
    assert.match(io.out, /Content-Disposition: attachment; filename=figures\.csv/);
    assert.doesNotMatch(io.out, /^Bcc:/im);
  });

  it('mailsmith check reports a missing attachment with its position and exits 1', async () => {
    const io = recordingIo();
    const status = await main(['check', 'test/fixtures/compose/missing/missing.eml'], io);
    assert.equal(status, 1);
    assert.match(io.out, /missing\.eml:4:9 error attachment-missing attachment "nowhere\.pdf" not found/);
  });
});
