// Writes the `mailsmith.profiles` item schema in package.json from the core's profile table
// (src/core/profiles/schema.ts), so the settings editor and the core read the same fields.
// Usage: npm run compile && node scripts/profile-schema.mjs   (test/unit/profiles/schema.test.ts checks it)
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const { profileJsonSchema } = require(`${root}out/src/core/profiles/schema.js`);
const file = `${root}package.json`;
const pkg = JSON.parse(readFileSync(file, 'utf8'));
pkg.contributes.configuration.properties['mailsmith.profiles'].items = profileJsonSchema();
writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
console.log('package.json: mailsmith.profiles.items written from src/core/profiles/schema.ts');
