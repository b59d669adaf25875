// The preview's heavy work, on a worker thread: preparing a draft's final bytes (composing, reading its
// files, the Message-ID hash) and parsing them back with postal-mime (a 10 MB attachment's base64
// included) and parse5. On the extension host's own thread a 10 MB message held every extension, and the
// typing it relays, for 0.4-1 s per refresh. Built to dist/previewWorker.js; the extension host talks to it
// through ./viewWorkerClient.ts. No `vscode` here.
import { parentPort } from 'node:worker_threads';
import { analyzeDocument } from '../../core/document/analyze';
import type { PreviewMessage } from '../../webview/preview/protocol';
import { messageView } from './messageView';
import type { DraftRefused, ViewRequest, ViewResponse } from './viewWorkerProtocol';

if (!parentPort) throw new Error('viewWorker runs as a worker thread');
const port = parentPort;

async function answer(request: ViewRequest): Promise<PreviewMessage | DraftRefused> {
  if (request.kind === 'bytes') return messageView(request.raw, 'captured', request.title, request.frame);
  const prepared = await (await analyzeDocument(request.text, request.options)).prepare();
  if (!prepared.ok) return { problems: prepared.problems };
  const view = await messageView(prepared.message.raw, 'draft', request.title, request.frame);
  // Every local file that travels, with where it really is on disk (the same list the confirmation shows).
  const sources = new Map(prepared.files.map((f) => [f.filename, f.path]));
  return { ...view, attachments: view.attachments.map((a) => (sources.has(a.filename) ? { ...a, source: sources.get(a.filename) } : a)) };
}

port.on('message', (request: ViewRequest) => {
  answer(request).then(
    (result) => port.postMessage(('problems' in result ? { id: request.id, problems: result.problems } : { id: request.id, view: result }) satisfies ViewResponse),
    (err: unknown) => port.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) } satisfies ViewResponse),
  );
});
