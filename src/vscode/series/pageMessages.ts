// Every message from the series review page is untrusted input (a webview can be scripted): its shape is
// checked field by field before the panel acts on it. Pure, so unit-tested in Node.
import { THREAD_CHOICES, type SeriesFormOptions, type SeriesPageMessage } from '../../webview/series/protocol';

const MAX_TEXT = 8192;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_TEXT;
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v < 10_000;

export function parseSeriesOptions(value: unknown): SeriesFormOptions | undefined {
  if (!isObj(value)) return undefined;
  const { to, cc, inReplyTo, thread, runRepositoryCommands } = value;
  if (!isText(to) || !isText(cc) || !isText(inReplyTo) || typeof runRepositoryCommands !== 'boolean') return undefined;
  if (!THREAD_CHOICES.includes(thread as never)) return undefined;
  return { to, cc, inReplyTo, thread: thread as SeriesFormOptions['thread'], runRepositoryCommands };
}

export function parseSeriesPageMessage(raw: unknown): SeriesPageMessage | undefined {
  if (!isObj(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
    case 'refresh':
      return { type: raw.type };
    case 'apply': {
      const options = parseSeriesOptions(raw.options);
      return options ? { type: 'apply', options } : undefined;
    }
    case 'skip':
      return isIndex(raw.index) && typeof raw.skip === 'boolean' ? { type: 'skip', index: raw.index, skip: raw.skip } : undefined;
    case 'edit':
      return isIndex(raw.index) ? { type: 'edit', index: raw.index } : undefined;
    case 'send':
      return (raw.mode === 'all' || raw.mode === 'self') && isText(raw.fingerprint) ? { type: 'send', mode: raw.mode, fingerprint: raw.fingerprint } : undefined;
    case 'resend':
      return isText(raw.fingerprint) ? { type: 'resend', fingerprint: raw.fingerprint } : undefined;
    default:
      return undefined;
  }
}
