// The send use case and the delivery of many messages, shared by every face.
export { deliver, type Delivered, type DeliveryHooks, type DeliveryContext, type DeliveryProgress, type DeliveryResult, type OutgoingMessage, type RunningInbox } from './deliver';
export { sendDocument, type SendDocumentContext, type SendDocumentResult } from './sendDocument';
