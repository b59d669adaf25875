// The send use case and the delivery of many messages, shared by every face.
export {
  deliver,
  openDelivery,
  type Delivered,
  type DeliveryConnection,
  type DeliveryContext,
  type DeliveryHooks,
  type DeliveryOptions,
  type DeliveryProgress,
  type DeliveryResult,
  type OpenDelivery,
  type OutgoingMessage,
  type RunningInbox,
} from './deliver';
export { sendDocument, type SendDocumentContext, type SendDocumentResult } from './sendDocument';
