// The connection doctor's report in words, once for the CLI, the settings page and the Test Connection
// command.
import type { DoctorReport, DoctorStep } from '../send/doctor';

const MARK: Record<DoctorStep['status'], string> = { pass: 'ok  ', fail: 'FAIL', skip: 'skip', warn: 'warn' };

/** `  ok   TLS: TLSv1.3, ...` and, indented below, the diagnosis. */
export function doctorStepText(step: DoctorStep): string {
  return `  ${MARK[step.status]} ${step.title}${step.detail ? `: ${step.detail}` : ''}${step.diagnosis ? `\n       ${step.diagnosis}` : ''}`;
}

/** One sentence on the whole test. */
export function doctorSummary(report: Pick<DoctorReport, 'ok' | 'steps'>): string {
  const failed = report.steps.find((s) => s.status === 'fail');
  if (failed) return `Failed at ${failed.title}${failed.diagnosis ? `: ${failed.diagnosis}` : '.'}`;
  const passed = report.steps.filter((s) => s.status === 'pass').length;
  const warnings = report.steps.filter((s) => s.status === 'warn').length;
  return `Connection OK: ${passed} steps passed${warnings ? `, ${warnings} with a warning` : ''}. Nothing was sent.`;
}
