// A person opens the broken sample and sees its header problems in the Problems view, with the same
// rule codes the core (and so the CLI) reports.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateMessage } from '../../src/core/message';
import { uiEnvironment, useWorkbench } from './support/workbench';

const SAMPLE = 'broken.eml';

describe('Problems view (real workbench)', () => {
  const workbench = useWorkbench('problems');

  it(`lists the header problems of samples/${SAMPLE} when it is opened`, async () => {
    const wb = workbench();
    const expected = validateMessage(readFileSync(join(uiEnvironment().workspace, SAMPLE)));
    const shown = expected.filter((p) => p.severity !== 'hint'); // hints are not listed in the Problems view
    assert.ok(shown.some((p) => p.severity === 'error'), `samples/${SAMPLE} has errors for this test to see`);

    await wb.openFile(SAMPLE);
    await wb.screenshot(`opened ${SAMPLE}`);
    const rows = await wb.problems({ atLeast: shown.length, file: SAMPLE }); // earlier tests may leave other messages open
    await wb.screenshot('problems view');

    assert.deepEqual(rows.map((r) => r.source).filter((s) => s !== 'mailsmith'), [], 'every row comes from Mailsmith');
    assert.deepEqual(
      rows.map((r) => `${r.line}:${r.code}`).sort(),
      shown.map((p) => `${p.range.start.line + 1}:${p.code}`).sort(),
      'the Problems view shows what the core reports, line by line',
    );
  });
});
