// The message core's public face: scan, validate, parse addresses, derive the envelope, prepare the bytes.
export { scanMessage, decodeBytes, fieldsNamed, MAX_LINE_LENGTH, RECOMMENDED_LINE_LENGTH } from './scanner';
export { validateMessage, sortProblems, INTERNAL_ERROR } from './validate';
export { parseAddressList } from './addresses';
export { deriveEnvelope, envelopeAddressProblem } from './envelope';
export { prepareMessage } from './prepare';
export { formatRfc5322Date } from './dates';
export { stableMessageId } from './messageId';
export { positionAt, offsetAt, rangeAt } from './positions';
export { rules } from './rules';
export * as codes from './codes';
export * from './codes';
export type * from './types';
