// Everything wrong with a form draft, by field: text that is not a number, name clashes, then the core's
// profile validation (field names mapped to the form's: `defaults.from` -> `from`). Pure: the panel and
// the page test share it.
import type { SmtpProfile } from '../../core/profiles/profile';
import { validateProfile } from '../../core/profiles/validate';
import { draftToProfile } from '../../webview/profiles/draft';
import type { FieldIssue, ProfileDraft } from '../../webview/profiles/protocol';

export interface DraftContext {
  /** The stored profile of that name, if any. */
  get(name: string): SmtpProfile | undefined;
  builtInName: string;
}

export function validateDraft(draft: ProfileDraft, previousName: string | null, context: DraftContext): { profile: SmtpProfile; issues: FieldIssue[] } {
  const base = previousName ? context.get(previousName) : undefined;
  const { profile, issues } = draftToProfile(draft, base);
  const name = profile.name;
  if (name !== previousName && name !== '') {
    if (name === context.builtInName) issues.push({ field: 'name', severity: 'error', message: `"${name}" is the built-in local inbox's name.` });
    else if (context.get(name)) issues.push({ field: 'name', severity: 'error', message: `A profile named "${name}" already exists.` });
  }
  for (const issue of validateProfile(profile)) {
    // The draft already said why the port is missing or not a number; don't say it twice.
    if (issue.field === 'port' && issues.some((i) => i.field === 'port')) continue;
    issues.push({ field: issue.field.replace(/^defaults\./, ''), severity: issue.severity, message: issue.message });
  }
  return { profile, issues };
}
