// The extension host's side of the preview's worker thread (./viewWorker.ts): one worker, started with the
// first preview, answering requests by id. The worker's parse of a hostile or huge message can never hold
// the extension host: past the time limit the worker is terminated and the preview says so; a crash fails
// the requests in flight with a clear message and the next preview starts a fresh worker. No `vscode` here.
import { Worker } from 'node:worker_threads';
import type { AnalyzeOptions } from '../../core/document/analyze';
import type { PreviewMessage } from '../../webview/preview/protocol';
import type { FrameOptions } from './frameDocument';
import type { DraftRefused, ViewRequest, ViewResponse } from './viewWorkerProtocol';

/** A request without its id (the client numbers them). */
type Request = ViewRequest extends infer R ? (R extends ViewRequest ? Omit<R, 'id'> : never) : never;

/** Far above what a 25 MB message takes (about 0.5 s): only a parse gone wrong runs into it. */
const DEFAULT_TIME_LIMIT_MS = 30_000;

interface Pending {
  resolve(result: PreviewMessage | DraftRefused): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class MessageViewWorker {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(
    /** The worker's script: dist/previewWorker.js in the extension. */
    private readonly script: string,
    private readonly timeLimitMs = DEFAULT_TIME_LIMIT_MS,
  ) {}

  /** What the preview shows for bytes as received, parsed off the extension host's thread. */
  async renderBytes(raw: Uint8Array, title: string, frame: FrameOptions): Promise<PreviewMessage> {
    const result = await this.request({ kind: 'bytes', raw, title, frame });
    if ('problems' in result) throw new Error('the preview\'s reader answered a message with problems'); // never for bytes
    return result;
  }

  /**
   * A draft's text prepared as Send prepares it, with the same analysis options (profile defaults, rule
   * levels, the folder files must stay in), then parsed back: the view, or the problems that stop it.
   */
  renderDraft(text: string, options: AnalyzeOptions, title: string, frame: FrameOptions): Promise<PreviewMessage | DraftRefused> {
    return this.request({ kind: 'draft', text, options, title, frame });
  }

  private request(request: Request): Promise<PreviewMessage | DraftRefused> {
    const worker = this.started();
    const id = ++this.nextId;
    return new Promise<PreviewMessage | DraftRefused>((resolve, reject) => {
      const timer = setTimeout(() => {
        // A parse that never ends would keep its thread busy for good: end the worker, start afresh next time.
        this.stop(new Error(`reading the message took longer than ${this.timeLimitMs / 1000} s`));
      }, this.timeLimitMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ ...request, id } as ViewRequest);
    });
  }

  dispose(): void {
    this.stop(new Error('the preview was closed'));
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.on('message', (response: ViewResponse) => {
      const request = this.pending.get(response.id);
      if (!request) return;
      this.pending.delete(response.id);
      clearTimeout(request.timer);
      if ('view' in response) request.resolve(response.view);
      else if ('problems' in response) request.resolve({ problems: response.problems });
      else request.reject(new Error(response.error));
    });
    worker.on('error', (err) => {
      if (this.worker === worker) this.stop(new Error(`the preview's reader stopped: ${err.message}`));
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.stop(new Error(`the preview's reader exited (code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  /** Ends the worker and fails what it still owed. */
  private stop(reason: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    for (const request of this.pending.values()) {
      clearTimeout(request.timer);
      request.reject(reason);
    }
    this.pending.clear();
    void worker?.terminate();
  }
}
