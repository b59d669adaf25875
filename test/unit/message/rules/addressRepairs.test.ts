// The quick fixes for common address typos: each mends exactly what the problem describes, and the mended
// message passes every rule (no error traded for another). A seeded generator makes many lists with one
// typo, and many with one typo per field for Fix all.
import * as assert from 'node:assert/strict';
import { validateMessage } from '../../../../src/core/message';
import { fixAllEdits } from '../../../../src/core/message/rules/fixAll';
import type { Fix, Problem } from '../../../../src/core/types';
import { applyFix, message } from '../helpers';
import { prng } from '../prng';

/** The problems of a message whose only fault is in its To field, and the fixes they offer. */
function problemsOf(to: string, field = 'To'): Problem[] {
  return validateMessage(message({ [field]: to }));
}

function fixNamed(problems: Problem[], title: string): Fix {
  const fix = problems.flatMap((p) => p.fixes ?? []).find((f) => f.title === title);
  assert.ok(fix, `a fix "${title}" among ${JSON.stringify(problems.map((p) => [p.code, p.message, (p.fixes ?? []).map((f) => f.title)]))}`);
  return fix;
}

/** The field's value after the fix, and every problem of the fixed message. */
function applied(to: string, title: string, field = 'To'): { value: string; problems: Problem[]; fix: Fix } {
  const text = message({ [field]: to });
  const fix = fixNamed(validateMessage(text), title);
  const fixed = applyFix(text, fix);
  const value = new RegExp(`^${field}: (.*)$`, 'm').exec(fixed)?.[1]?.replace(/\r$/, '') ?? '';
  return { value, problems: validateMessage(fixed), fix };
}

describe('address typo fixes', () => {
  const examples: Array<[typo: string, title: string, mended: string, preferred: boolean]> = [
    ['Dave Manager dave@example.org', 'Put the address in <angle brackets> after the name', 'Dave Manager <dave@example.org>', true],
    ['"Manager, Dave" dave@example.org', 'Put the address in <angle brackets> after the name', '"Manager, Dave" <dave@example.org>', true],
    ['bob@example.org, carol@@example.org', 'Remove the extra "@"', 'bob@example.org, carol@example.org', true],
    ['bob@example.org.', 'Remove the stray "." from the domain', 'bob@example.org', true],
    ['bob@example..org', 'Remove the stray "." from the domain', 'bob@example.org', true],
    ['Bob <bob@.example.org>', 'Remove the stray "." from the domain', 'Bob <bob@example.org>', true],
    ['bob.@example.org', 'Remove the stray "." from the local part', 'bob@example.org', false],
    ['Ann <ann@example.org> Bob <bob@example.org>', 'Separate the addresses with ","', 'Ann <ann@example.org>, Bob <bob@example.org>', true],
    ['Bob <bob@example.org', 'Close the address with ">"', 'Bob <bob@example.org>', true],
    ['Bob <bob@example.org, carol@example.org', 'Close the address with ">"', 'Bob <bob@example.org>, carol@example.org', true],
    ['ACME [Sales] <sales@example.com>', 'Put the display name in double quotes', '"ACME [Sales]" <sales@example.com>', true],
    ['bob@example.org; carol@example.org', 'Separate the addresses with ","', 'bob@example.org, carol@example.org', true],
  ];
  for (const [typo, title, mended, preferred] of examples) {
    it(`${JSON.stringify(typo)}: "${title}" gives ${JSON.stringify(mended)} and the message passes`, () => {
      const { value, problems, fix } = applied(typo, title);
      assert.equal(value, mended);
      assert.deepEqual(problems, []);
      assert.equal(fix.preferred ?? false, preferred, preferred ? 'Fix all applies it' : 'only on request: it names another mailbox');
    });
  }

  it('offers no fix where the mended address would still be wrong', () => {
    for (const typo of ['Dave Manager dave@exa mple.org', 'a@b@c.example', 'carol@@@example.org', 'Bob <bob@example..org', '[x] bob@example.org']) {
      const problems = problemsOf(typo).filter((p) => p.code === 'address-syntax');
      assert.ok(problems.length > 0, typo);
      assert.deepEqual(
        problems.flatMap((p) => p.fixes ?? []).map((f) => f.title),
        [],
        `${typo}: no fix, the message says what is wrong`,
      );
    }
  });

  it('fills in an empty From with the profile\'s From as a snippet placeholder, and Fix all applies it', () => {
    const text = message({ From: '' });
    const options = { defaults: { from: 'Ann Profile <ann@example.com>' } };
    const problem = validateMessage(text, options).find((p) => p.code === 'address-empty-list');
    assert.ok(problem?.fixes);
    const [fill, remove] = problem.fixes;
    assert.equal(fill.title, "Use the profile's From: Ann Profile <ann@example.com>");
    assert.equal(fill.preferred, true);
    assert.equal(fill.edits[0].snippet, ' ${1:Ann Profile <ann@example.com>}');
    assert.deepEqual(validateMessage(applyFix(text, fill), options), []);
    assert.deepEqual(fixAllEdits(validateMessage(text, options)), fill.edits.map(({ range, newText }) => ({ range, newText })), 'Fix all fills in the profile\'s From');
    assert.equal(remove.title, 'Remove the empty From field');
    assert.notEqual(remove.preferred, true, 'removing is a choice, not what Fix all does');
    assert.deepEqual(validateMessage(applyFix(text, remove), options), [], 'without the field the profile\'s From is used');
  });

  it('adds From and To with the cursor on an example to type over, never by Fix all', () => {
    const text = message({ From: null, To: null });
    const problems = validateMessage(text);
    const from = fixNamed(problems, 'Add a From field');
    const to = fixNamed(problems, 'Add a To field');
    assert.equal(from.edits[0].snippet, 'From: ${1:Your Name <you@example.com>}\r\n');
    assert.equal(to.edits[0].snippet, 'To: ${1:Name <name@example.org>}\r\n');
    assert.notEqual(from.preferred, true);
    assert.notEqual(to.preferred, true);
    assert.deepEqual(fixAllEdits(problems), [], 'Fix all leaves what only the author can write');
  });

  it('escapes "$", "}" and "\\" of literal text and placeholders in a snippet', () => {
    const text = message({ From: '' });
    const problem = validateMessage(text, { defaults: { from: '"Cost $5 {a}\\\\" <a@example.com>' } }).find((p) => p.code === 'address-empty-list');
    assert.equal(problem?.fixes?.[0].edits[0].snippet, ' ${1:"Cost \\$5 {a\\}\\\\\\\\" <a@example.com>}');
    assert.equal(problem?.fixes?.[0].edits[0].newText, ' "Cost $5 {a}\\\\" <a@example.com>');
  });
});

// ---- generated typos

const FIRST = ['Ann', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank', 'Jörg', 'Zoë'];
const LAST = ['Smith', 'Manager', 'Example', 'Nguyen', 'Müller', "O'Neil"];
const TLD = ['org', 'com', 'net', 'example', 'de'];

type Typo = 'angle-brackets' | 'extra-at' | 'stray-dot' | 'missing-comma' | 'missing-close-angle' | 'quote-name' | 'semicolon';
const TYPOS: Typo[] = ['angle-brackets', 'extra-at', 'stray-dot', 'missing-comma', 'missing-close-angle', 'quote-name', 'semicolon'];

interface Mailbox {
  name?: string;
  local: string;
  domain: string;
}

function generator(seed: number) {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const word = (length: number) => Array.from({ length }, () => pick('abcdefghijklmnopqrstuvwxyz0123456789'.split(''))).join('');
  const mailbox = (): Mailbox => ({
    name: random() < 0.7 ? [pick(FIRST), ...(random() < 0.6 ? [pick(LAST)] : [])].join(' ') : undefined,
    local: random() < 0.3 ? `${word(3)}.${word(4)}` : word(1 + Math.floor(random() * 8)),
    domain: [...Array.from({ length: 1 + Math.floor(random() * 2) }, () => word(2 + Math.floor(random() * 6))), pick(TLD)].join('.'),
  });
  return { random, pick, mailbox };
}

/** Every problem but hints (a non-ASCII name is encoded when sent, a long list makes a line over 78). */
function problemsBut(text: string): string[] {
  return validateMessage(text)
    .filter((p) => p.severity !== 'hint')
    .map((p) => `${p.code}: ${p.message}`);
}

const written = (m: Mailbox) => (m.name ? `${m.name} <${m.local}@${m.domain}>` : `${m.local}@${m.domain}`);

/** A list of mailboxes with one typo of the given kind; the fix title it calls for. */
function withTypo(g: ReturnType<typeof generator>, typo: Typo): { list: string; title: string } {
  const boxes = Array.from({ length: 1 + Math.floor(g.random() * 4) }, g.mailbox);
  const k = Math.floor(g.random() * boxes.length);
  const parts = boxes.map(written);
  const box = boxes[k];
  const address = `${box.local}@${box.domain}`;
  switch (typo) {
    case 'angle-brackets':
      parts[k] = `${box.name ?? 'Dave Manager'} ${address}`;
      return { list: parts.join(', '), title: 'Put the address in <angle brackets> after the name' };
    case 'extra-at':
      parts[k] = written({ ...box, local: `${box.local}@` });
      return { list: parts.join(', '), title: 'Remove the extra "@"' };
    case 'stray-dot': {
      const domain = g.pick([`${box.domain}.`, `.${box.domain}`, box.domain.replace('.', '..')]);
      parts[k] = written({ ...box, domain });
      return { list: parts.join(', '), title: 'Remove the stray "." from the domain' };
    }
    case 'missing-comma': {
      const next = g.mailbox();
      parts.splice(k, 1, `${box.name ?? 'Ann'} <${address}> ${written(next)}`);
      return { list: parts.join(', '), title: 'Separate the addresses with ","' };
    }
    case 'missing-close-angle':
      // The address that lost its ">" runs to the end of the list: only plain addresses may follow it.
      parts[k] = `${box.name ?? 'Bob'} <${address}`;
      for (let j = k + 1; j < parts.length; j++) parts[j] = `${boxes[j].local}@${boxes[j].domain}`;
      return { list: parts.join(', '), title: 'Close the address with ">"' };
    case 'quote-name':
      parts[k] = `${box.name ?? 'ACME'} ${g.pick(['[Sales]', '@ Home', '[EU] Team'])} <${address}>`;
      return { list: parts.join(', '), title: 'Put the display name in double quotes' };
    case 'semicolon':
      if (parts.length === 1) parts.push(written(g.mailbox()));
      return { list: parts.join('; '), title: 'Separate the addresses with ","' };
  }
}

describe('address typo fixes over generated lists (seeded)', () => {
  const SEEDS = 400;

  it(`${SEEDS} lists with one typo: the problem offers its fix, Fix all would apply it, and the fixed message passes every rule`, () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const g = generator(seed);
      const typo = TYPOS[seed % TYPOS.length];
      const { list, title } = withTypo(g, typo);
      const field = g.pick(['To', 'Cc', 'Reply-To']);
      const text = message({ [field]: list });
      const problems = validateMessage(text);
      const context = `seed ${seed}, ${typo}: ${field}: ${list}`;
      assert.ok(problems.length > 0, `${context}: the typo is reported`);
      const fix = problems.flatMap((p) => p.fixes ?? []).find((f) => f.title === title);
      assert.ok(fix, `${context}: "${title}" among ${JSON.stringify(problems.map((p) => [p.message, (p.fixes ?? []).map((f) => f.title)]))}`);
      assert.equal(fix.preferred, true, `${context}: preferred`);
      const fixed = applyFix(text, fix);
      assert.deepEqual(problemsBut(fixed), [], `${context}: the fixed message passes\n${fixed}`);
      assert.deepEqual(problemsBut(applyFix(text, { title: 'Fix all', edits: fixAllEdits(problems) })), [], `${context}: Fix all gives the same`);
    }
  });

  it(`${SEEDS / 4} messages with a typo in every address field: one Fix all makes them pass`, () => {
    for (let seed = 1; seed <= SEEDS / 4; seed++) {
      const g = generator(10_000 + seed);
      const fields: Record<string, string> = {};
      for (const field of ['To', 'Cc', 'Reply-To']) fields[field] = withTypo(g, g.pick(TYPOS)).list;
      const text = message(fields);
      const problems = validateMessage(text);
      const fixed = applyFix(text, { title: 'Fix all', edits: fixAllEdits(problems) });
      assert.deepEqual(problemsBut(fixed), [], `seed ${10_000 + seed}:\n${text}\n->\n${fixed}`);
    }
  });
});
