// `mailsmith merge` in-process over the real file system and a real smtp-server: a dry run by default
// (row 1's envelope and bytes, then one line per row), problems as file:line:col lines with exit 1, the
// exit statuses scripts rely on.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { startSmtpServer, type RunningServer } from '../../support/smtpServers';
import { recordingIo } from '../cli/checkIo';
import { csv, mergeDir, type MergeDir } from './helpers';

describe('mailsmith merge', function () {
  this.timeout(30_000);
  let d: MergeDir;
  let server: RunningServer | undefined;
  beforeEach(() => {
    d = mergeDir();
    d.write('t.eml', ['From: Sender <sender@example.com>', 'To: ${name} <${email}>', 'Subject: Hello ${name}', 'Merge-Data: people.csv', '', 'Hi ${name}.', ''].join('\r\n'));
    d.write('people.csv', csv([['name', 'email'], ['Ann', 'ann@example.org'], ['Bob', 'bob@example.org'], ['Cy', 'cy@example.org']]));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    d.remove();
  });

  const io = () => {
    const r = recordingIo();
    r.cwd = d.dir;
    r.env = { MAILSMITH_STATE_DIR: join(d.dir, 'state') };
    return r;
  };

  it('is a dry run unless --send: row 1 envelope and bytes, then one line per row; nothing is contacted', async () => {
    server = await startSmtpServer({ starttls: false });
    d.write('p.json', JSON.stringify({ name: 'cli', host: '127.0.0.1', port: server.port, security: 'none' }));
    const out = io();
    assert.equal(await main(['merge', 't.eml', '--profile-file', 'p.json'], out), 0, out.err);
    assert.match(out.out, /^Row 1, as it would leave with "cli" \(nothing was sent\):\nMAIL FROM:<sender@example\.com>\nRCPT TO:<ann@example\.org>\n/);
    assert.match(out.out, /^To: Ann <ann@example\.org>$/m);
    assert.match(out.out, /^row 1 {2}ann@example\.org {2}would-send/m);
    assert.match(out.out, /^row 2 {2}bob@example\.org {2}not-sent {2}over the first run.s limit of 1 row/m);
    assert.match(out.out, /Dry run: nothing was sent\. 3 rows checked, 3 not yet sent; with --send this run would send 1/);
    const row2 = io();
    assert.equal(await main(['merge', 't.eml', '--profile-file', 'p.json', '--row', '2'], row2), 0);
    assert.match(row2.out, /^RCPT TO:<bob@example\.org>$/m);
    assert.equal(server.received.length, 0);
  });

  it('sends with --send (1 row the first time, then the rest), and says when there is nothing left', async () => {
    server = await startSmtpServer({ starttls: false });
    d.write('p.json', JSON.stringify({ name: 'cli', host: '127.0.0.1', port: server.port, security: 'none' }));
    const first = io();
    assert.equal(await main(['merge', 't.eml', '--profile-file', 'p.json', '--send'], first), 0, first.err);
    // What is about to happen, before it does: the first run's one row, its recipient, the profile.
    assert.match(first.err, /^Send 1 message of this mail merge with "cli"\?\n {2}To ann@example\.org\n {2}3 rows in .*people\.csv; 3 not yet sent, 1 of them now\.\n {2}Profile "cli" \(127\.0\.0\.1:\d+, none\)\./m);
    assert.match(first.out, /Mail merge: 1 sent\. 2 rows still to send: run again to continue\./);
    const rest = io();
    assert.equal(await main(['merge', 't.eml', '--profile-file', 'p.json', '--send', '--resume', '--rate', '600/min'], rest), 0, rest.err);
    assert.match(rest.out, /Mail merge: 2 sent, 1 sent before\./);
    assert.match(rest.err, /^Send 2 messages of this mail merge with "cli"\?\n {2}To bob@example\.org; cy@example\.org\n/m);
    assert.match(rest.err, /Limits: 600 a minute, 1,000 an hour\./);
    const none = io();
    assert.equal(await main(['merge', 't.eml', '--profile-file', 'p.json', '--send'], none), 0);
    assert.match(none.out, /^Nothing to send/);
    assert.deepEqual(server.received.map((m) => m.to[0]), ['ann@example.org', 'bob@example.org', 'cy@example.org']);
  });

  it('exits 1 with file:line:col problems on the template and the data file, and 2 on bad options', async () => {
    d.write('people.csv', csv([['name', 'email'], ['Ann', 'ann@example.org'], ['Bob', 'bob@@example.org']]));
    const out = io();
    assert.equal(await main(['merge', 't.eml'], out), 1);
    assert.match(out.err, /people\.csv:3:\d+ error address-syntax row 2 \(email\): /);
    assert.match(out.err, /^t\.eml:2:\d+ error address-syntax row 2: To: /m);
    assert.match(out.err, /nothing was sent: 1 error in 2 rows/);
    const bad = io();
    assert.equal(await main(['merge', 't.eml', '--test-to', 'me@example.com'], bad), 2);
    assert.match(bad.err, /--test-to sends a message: add --send/);
    const rate = io();
    assert.equal(await main(['merge', 't.eml', '--rate', 'fast'], rate), 2);
    assert.match(rate.err, /--rate must look like 30\/min/);
  });

  it('refuses to send a merge template as one message (its fields would go out as written), and points at the merge', async () => {
    server = await startSmtpServer({ starttls: false });
    d.write('p.json', JSON.stringify({ name: 'cli', host: '127.0.0.1', port: server.port, security: 'none' }));
    // A fixed recipient: as one message this template is otherwise valid.
    d.write('list.eml', ['From: Sender <sender@example.com>', 'To: list@example.org', 'Subject: Hello ${name}', 'Merge-Data: people.csv', '', 'Hi ${name}.', ''].join('\r\n'));
    const out = io();
    assert.equal(await main(['send', 'list.eml', '--profile-file', 'p.json', '--yes'], out), 1, out.err);
    assert.match(out.err, /^list\.eml:4:1 error merge-template this is a mail merge template .*mailsmith merge/m);
    assert.equal(server.received.length, 0, 'nothing was sent');
  });
});
