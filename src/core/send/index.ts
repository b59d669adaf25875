// The sending core: prepared message + profile + secret -> an exact outcome, with a redacted dialogue log.
export { sendMessage, createSender, type Sender } from './send';
export { describeOutcome } from './describe';
export { runDoctor, type DoctorStep, type DoctorReport, type DoctorStepId, type DoctorOptions } from './doctor';
export { DialogueRedactor, scrubSecrets, secretNeedles } from './redact';
export { checkHourlyLimit, accountKey, reserveSend, releaseSend } from './rateLimit';
export { sanitizeForDisplay } from './sanitize';
export type { SendOutcome, SendStage, SendOptions, RecipientRejection } from './types';
export type { SmtpSecret } from '../profiles/profile';
