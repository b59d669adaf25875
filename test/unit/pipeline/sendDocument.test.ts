// The send use case every face calls, against a real smtp-server on 127.0.0.1: refused documents contact
// nothing, a declined confirmation sends nothing, what the review names is what leaves, credentials come from
// the face's provider and are renewed once after the server refuses them, the capture inbox is started when
// no face keeps one, and each outcome lands in the journal.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeDocument } from '../../../src/core/document/analyze';
import { SentJournal } from '../../../src/core/journal/sentJournal';
import { sendDocument, type SendDocumentContext } from '../../../src/core/pipeline/sendDocument';
import { BUILT_IN_INBOX_PROFILE } from '../../../src/core/profiles/builtIn';
import type { SmtpProfile, SmtpSecret } from '../../../src/core/profiles/profile';
import type { SendReview } from '../../../src/core/report/review';
import { noSecrets, SecretUnavailable, staticSecrets, type SecretProvider } from '../../../src/core/secrets/provider';
import { startSmtpServer, type RunningServer } from '../../support/smtpServers';
import { collectingLogger } from '../send/helpers';

const MESSAGE = ['From: Ann <ann@example.com>', 'To: bob@example.org', 'Bcc: eve@example.net', 'Subject: Pipeline', 'Attach: report.txt', '', 'Figures attached.', ''].join('\n');

describe('sendDocument: the send use case', function () {
  this.timeout(20_000);
  let dir: string;
  let servers: RunningServer[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-pipeline-'));
    writeFileSync(join(dir, 'report.txt'), 'Figures: 1, 2, 3.\n');
    servers = [];
  });
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const profileFor = (port: number, extra: Partial<SmtpProfile> = {}): SmtpProfile => ({
    name: 'pipeline',
    host: '127.0.0.1',
    port,
    security: 'none',
    timeouts: { connectMs: 2000, greetingMs: 2000, socketMs: 2000 },
    ...extra,
  });
  const context = (over: Partial<SendDocumentContext> = {}): SendDocumentContext & { reviews: SendReview[] } => {
    const reviews: SendReview[] = [];
    return {
      logger: collectingLogger(),
      stateDir: join(dir, 'state'),
      face: 'test',
      secrets: noSecrets,
      confirm: async (review) => {
        reviews.push(review);
        return true;
      },
      reviews,
      ...over,
    };
  };
  const analyse = (text = MESSAGE) => analyzeDocument(text, { baseDir: dir, scope: { root: dir, allowOutside: false } });

  it('shows everything that will leave, sends exactly that, and records it in the journal with the bytes', async () => {
    const server = await startSmtpServer({ starttls: false });
    servers.push(server);
    const ctx = context();
    const result = await sendDocument(await analyse(), profileFor(server.port), join(dir, 'm.eml'), ctx);
    assert.equal(result.status, 'sent', JSON.stringify(result));
    if (result.status !== 'sent') return;
    const [review] = ctx.reviews;
    assert.deepEqual(review.recipients, ['bob@example.org', 'eve@example.net']);
    assert.deepEqual(review.blind, ['eve@example.net']);
    assert.deepEqual(review.files.map((f) => [f.name, f.realPath, f.size, f.outside]), [['report.txt', join(dir, 'report.txt'), 18, false]]);
    assert.equal(review.size, result.message.size);
    assert.equal(server.received.length, 1);
    assert.ok(server.received[0].raw.equals(result.message.raw), 'the server got the reviewed bytes');
    assert.deepEqual(server.received[0].to, review.recipients);
    const entries = new SentJournal(join(dir, 'state')).entries();
    assert.equal(entries.length, 1);
    assert.equal(entries[0].id, result.entry.id);
    assert.equal(entries[0].subject, 'Pipeline');
    assert.ok(readFileSync(entries[0].copy!).equals(result.message.raw));
  });

  it('sends nothing when the person declines, and contacts nothing for a document with errors', async () => {
    const server = await startSmtpServer({ starttls: false });
    servers.push(server);
    const declined = await sendDocument(await analyse(), profileFor(server.port), 'x', context({ confirm: async () => false }));
    assert.equal(declined.status, 'cancelled');
    let asked = 0;
    const refused = await sendDocument(await analyse(MESSAGE.replace('bob@example.org', 'bob@@example.org')), profileFor(server.port), 'x', context({ confirm: async () => (++asked, true) }));
    assert.equal(refused.status, 'refused');
    assert.ok(refused.status === 'refused' && refused.problems.some((p) => p.code === 'address-syntax'));
    assert.equal(asked, 0, 'a refused document is not even shown for confirmation');
    assert.equal(server.received.length, 0);
    assert.deepEqual(new SentJournal(join(dir, 'state')).entries(), [], 'nothing happened, nothing recorded');
  });

  it('renews refused credentials once through the provider, before any of the message left', async () => {
    const server = await startSmtpServer({ starttls: false, auth: { user: 'ann', password: 'fresh-secret-2' } });
    servers.push(server);
    const asked: string[] = [];
    const rotating: SecretProvider = {
      get: async () => (asked.push('get'), { password: 'stale-secret-1' }),
      refresh: async (): Promise<SmtpSecret> => (asked.push('refresh'), { password: 'fresh-secret-2' }),
    };
    const result = await sendDocument(await analyse(), profileFor(server.port, { user: 'ann' }), 'x', context({ secrets: rotating }));
    assert.equal(result.status, 'sent', JSON.stringify(result));
    assert.deepEqual(asked, ['get', 'refresh']);
    assert.equal(server.received.length, 1, 'delivered once');
    const without = await sendDocument(await analyse(), profileFor(server.port, { user: 'ann' }), 'x', context({ secrets: staticSecrets({ password: 'stale-secret-1' }) }));
    assert.equal(without.status, 'failed');
    assert.equal(without.status === 'failed' && without.outcome.status === 'failed' && without.outcome.stage, 'auth');
    assert.equal(server.received.length, 1);
  });

  it('starts the capture inbox for the send when the face keeps none, and says where the message landed', async () => {
    const inboxDir = join(dir, 'inbox');
    const result = await sendDocument(await analyse(), BUILT_IN_INBOX_PROFILE, 'x', context({ inboxDir }));
    assert.equal(result.status, 'sent', JSON.stringify(result));
    if (result.status !== 'sent') return;
    assert.ok(result.captured?.startsWith(inboxDir));
    assert.ok(readFileSync(result.captured!).equals(result.message.raw));
    assert.equal(result.review.profile.captureInbox, true);
  });

  it('says why nothing could be tried when the credentials are missing, and sends nothing', async () => {
    const server = await startSmtpServer({ starttls: false, auth: { user: 'ann', password: 'pw-123456' } });
    servers.push(server);
    const failing: SecretProvider = {
      get: async () => {
        throw new SecretUnavailable('the profile "pipeline" reads its password from $NOPE, which is not set');
      },
    };
    const result = await sendDocument(await analyse(), profileFor(server.port, { user: 'ann' }), 'x', context({ secrets: failing }));
    assert.equal(result.status, 'error');
    assert.match(result.status === 'error' ? result.reason : '', /\$NOPE, which is not set/);
    assert.equal(server.received.length, 0);
  });
});
