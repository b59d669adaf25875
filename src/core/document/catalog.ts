// Every problem code Mailsmith can report, from the rules themselves (each rule lists its codes), so a
// configuration that names a code can be checked and each code can have its documentation page.
import * as composeCodes from '../compose/codes';
import { composeRules } from '../compose/rules';
import * as messageCodes from '../message/codes';
import { rules } from '../message/rules';
import { INTERNAL_ERROR } from '../message/validate';

/** Codes that come from a step rather than a rule (the envelope, the composer, the final bytes). */
const STEP_CODES = [
  messageCodes.ENVELOPE_NO_SENDER,
  messageCodes.ENVELOPE_NO_RECIPIENTS,
  messageCodes.ENVELOPE_BAD_ADDRESS,
  messageCodes.DEFAULTS_BAD_ADDRESS,
  messageCodes.FROM_NEEDS_SENDER,
  messageCodes.HEADER_CONTROL_CHAR,
  composeCodes.FRONT_MATTER_INVALID,
  composeCodes.FRONT_MATTER_UNKNOWN_KEY,
  composeCodes.ATTACH_UNSUPPORTED_BODY,
  composeCodes.MESSAGE_TOO_LARGE,
  composeCodes.COMPOSE_FAILED,
  INTERNAL_ERROR,
];

let known: ReadonlySet<string> | undefined;

export function knownProblemCodes(): ReadonlySet<string> {
  known ??= new Set([...rules.flatMap((r) => r.codes), ...composeRules.flatMap((r) => r.codes), ...STEP_CODES]);
  return known;
}
