// The messages between the extension host and the preview's worker thread (./viewWorker.ts).
import type { AnalyzeOptions } from '../../core/document/analyze';
import type { Problem } from '../../core/types';
import type { PreviewMessage } from '../../webview/preview/protocol';
import type { FrameOptions } from './frameDocument';

export type ViewRequest =
  /** Bytes as received (a captured message, a sent copy): parsed as they are. */
  | { id: number; kind: 'bytes'; raw: Uint8Array; title: string; frame: FrameOptions }
  /** A draft: prepared as Send prepares it (the same analysis options), then parsed back. */
  | { id: number; kind: 'draft'; text: string; options: AnalyzeOptions; title: string; frame: FrameOptions };

/** What a draft's preparation found instead of bytes: its problems (the errors are why). */
export interface DraftRefused {
  problems: Problem[];
}

export type ViewResponse = { id: number; view: PreviewMessage } | ({ id: number } & DraftRefused) | { id: number; error: string };
