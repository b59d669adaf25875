export { startCaptureInbox, type CaptureInbox, type CaptureInboxOptions, type CapturedMessage } from './captureInbox';
export { listCapturedMessages, type CapturedEntry } from './list';
