// One plain sentence per outcome, for notifications and the CLI.
import type { SendOutcome } from './types';

const STAGE_WORDS: Record<string, string> = {
  config: 'before connecting',
  limit: 'at the hourly limit',
  connect: 'connecting',
  greeting: 'at the greeting',
  tls: 'setting up TLS',
  auth: 'authenticating',
  mail: 'at MAIL FROM',
  rcpt: 'at RCPT TO',
  data: 'at DATA',
};

export function describeOutcome(outcome: SendOutcome): string {
  const to = outcome.envelope.to.length === 1 ? outcome.envelope.to[0] : `${outcome.envelope.to.length} recipients`;
  switch (outcome.status) {
    case 'sent':
      return `Sent to ${to} with "${outcome.profile}"${outcome.queueId ? ` (queued as ${outcome.queueId})` : ''}${outcome.reply ? `: ${outcome.reply}` : '.'}`;
    case 'partial':
      return `Partly accepted with "${outcome.profile}": sent to ${outcome.accepted.join(', ')}; refused: ${outcome.rejected.map((r) => `${r.address} (${r.reply})`).join('; ')}.`;
    case 'failed':
      return `Not sent (failed ${STAGE_WORDS[outcome.stage] ?? outcome.stage}, ${outcome.temporary ? 'temporary' : 'permanent'}): ${outcome.reason}.`;
    case 'unknown':
      return `Outcome unknown with "${outcome.profile}": ${outcome.reason}. Check the recipient's mailbox before sending again.`;
  }
}
