// Every rule, in the order they run. Add a rule: one file here, its codes in ../codes.ts, tests in test/unit/message/rules/.
import { addressSyntax } from './addressSyntax';
import { bccNote } from './bccNote';
import { defaultValues } from './defaultValues';
import { body8bit } from './body8bit';
import { duplicateField } from './duplicateField';
import { envelopeAddresses } from './envelopeAddresses';
import { headerCharacters } from './headerCharacters';
import { headerInjection } from './headerInjection';
import { headerSyntax } from './headerSyntax';
import { lineEndings } from './lineEndings';
import { lineLength } from './lineLength';
import { missingDate } from './missingDate';
import { missingFrom } from './missingFrom';
import { missingMessageId } from './missingMessageId';
import { missingRecipients } from './missingRecipients';
import { missingSubject } from './missingSubject';
import { mimeStructure } from './mimeStructure';
import type { Rule } from './rule';
import { senderFields } from './senderFields';

export const rules: readonly Rule[] = [
  headerSyntax,
  headerCharacters,
  headerInjection,
  missingFrom,
  missingRecipients,
  missingSubject,
  missingDate,
  missingMessageId,
  duplicateField,
  senderFields,
  addressSyntax,
  envelopeAddresses,
  defaultValues,
  bccNote,
  lineLength,
  lineEndings,
  body8bit,
  mimeStructure,
];

export type { Rule, RuleContext } from './rule';
