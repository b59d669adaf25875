// scripts/real-vscode/childEnv.mjs: the environment the real-VS-Code set-up gives the npm installs and
// code-server it starts. The last test reproduces the failure it fixes with a real npm inside a real npm:
// `npm test` ran the set-up, and the inner `npm install` took the outer npm's user agent (Node 20) for its own.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../support/paths';

const MODULE = join(repoRoot, 'scripts', 'real-vscode', 'childEnv.mjs');

interface ChildEnvModule {
  childEnv(options?: { env?: NodeJS.ProcessEnv; extra?: Record<string, string>; prependPath?: string[] }): Record<string, string>;
}

async function load(): Promise<ChildEnvModule> {
  return (await import(pathToFileURL(MODULE).href)) as ChildEnvModule;
}

const NPM_GYP_BIN = '/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin';

describe('real VS Code set-up: the environment of child processes (childEnv)', function () {
  // The last test starts npm four times.
  this.timeout(60_000);

  it('drops what an outer npm sets, in any letter case, and keeps the rest of the environment', async () => {
    const { childEnv } = await load();
    const env = childEnv({
      env: {
        npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
        NPM_CONFIG_NODE_GYP: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
        npm_config_nodedir: '/usr',
        npm_config_local_prefix: '/work/project',
        npm_config_ignore_scripts: 'true',
        npm_package_name: 'mailsmith',
        npm_package_json: '/work/project/package.json',
        npm_lifecycle_event: 'test',
        npm_lifecycle_script: 'node scripts/test.mjs',
        npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
        npm_node_execpath: '/usr/bin/node',
        npm_command: 'run',
        INIT_CWD: '/work/project',
        NODE: '/usr/bin/node',
        COLOR: '0',
        HOME: '/home/me',
        NODE_OPTIONS: '--max-old-space-size=4096',
        NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
        MAILSMITH_REAL_VSCODE_CACHE: '/tmp/cache',
      },
    });
    assert.deepEqual(env, {
      HOME: '/home/me',
      NODE_OPTIONS: '--max-old-space-size=4096',
      NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
      MAILSMITH_REAL_VSCODE_CACHE: '/tmp/cache',
    });
  });

  it('keeps the npm settings that only say where the registry is and how to reach it', async () => {
    const { childEnv } = await load();
    const kept = {
      npm_config_registry: 'https://registry.example.test/',
      NPM_CONFIG_USERCONFIG: '/ci/.npmrc',
      npm_config_globalconfig: '/usr/etc/npmrc',
      npm_config_cache: '/ci/npm-cache',
      npm_config_cafile: '/etc/ssl/certs/ca-certificates.crt',
      'npm_config_strict-ssl': 'true',
      npm_config_https_proxy: 'http://proxy.example.test:3128',
      npm_config_noproxy: '127.0.0.1',
    };
    assert.deepEqual(childEnv({ env: { ...kept, npm_config_user_agent: 'npm/11 node/v20' } }), kept);
  });

  it('takes npm run-script\'s folders off PATH, puts prependPath first once, and lets extra win', async () => {
    const { childEnv } = await load();
    const PATH = ['/work/project/node_modules/.bin', '/work/node_modules/.bin', '/node_modules/.bin', NPM_GYP_BIN, '/opt/node24/bin', '/usr/bin', '/bin'].join(delimiter);
    const env = childEnv({ env: { PATH, LANG: 'C.UTF-8' }, prependPath: ['/opt/node24/bin'], extra: { LANG: 'en_GB.UTF-8', EXTENSIONS_GALLERY: '{}' } });
    assert.deepEqual(env, { PATH: ['/opt/node24/bin', '/usr/bin', '/bin'].join(delimiter), LANG: 'en_GB.UTF-8', EXTENSIONS_GALLERY: '{}' });
    assert.deepEqual(childEnv({ env: {}, prependPath: ['/opt/node24/bin'] }), { PATH: '/opt/node24/bin' });
  });

  it('gives an npm started from inside `npm run` its own user agent, not the outer npm\'s', async () => {
    const { childEnv } = await load();
    // outer/: `npm run spawn-inner -- <clean|inherited>` runs a script that starts `npm run show` in inner/
    // with childEnv() or with its own environment as it is. The outer npm is given a user agent of its own,
    // as the Node 20 npm running `npm test` has one that is wrong for code-server's Node 24 npm.
    const dir = mkdtempSync(join(tmpdir(), 'mailsmith-childenv-'));
    try {
      const outer = join(dir, 'outer');
      const inner = join(dir, 'inner');
      mkdirSync(outer);
      mkdirSync(inner);
      writeFileSync(
        join(inner, 'package.json'),
        JSON.stringify({ name: 'inner', private: true, scripts: { show: 'node -e "console.log(JSON.stringify({ agent: process.env.npm_config_user_agent, path: process.env.PATH }))"' } }),
      );
      writeFileSync(join(outer, 'package.json'), JSON.stringify({ name: 'outer', private: true, scripts: { 'spawn-inner': 'node spawn-inner.mjs' } }));
      writeFileSync(
        join(outer, 'spawn-inner.mjs'),
        [
          `import { spawnSync } from 'node:child_process';`,
          `import { childEnv } from ${JSON.stringify(pathToFileURL(MODULE).href)};`,
          `const env = process.argv[2] === 'clean' ? childEnv() : process.env;`,
          `const inner = spawnSync('npm', ['run', '--silent', 'show'], { cwd: ${JSON.stringify(inner)}, env, encoding: 'utf8' });`,
          `process.stdout.write(inner.stdout); process.stderr.write(inner.stderr); process.exit(inner.status ?? 1);`,
        ].join('\n'),
      );
      const fakeAgent = 'npm/0.0.0 node/v1.0.0 outer';
      // This test may itself run under `npm test`: its outer npm starts from a plain shell's environment.
      const shell = childEnv();
      const run = (mode: string): { agent: string; path: string } => {
        const result = spawnSync('npm', ['run', '--silent', `--user-agent=${fakeAgent}`, 'spawn-inner', '--', mode], { cwd: outer, env: shell, encoding: 'utf8' });
        assert.equal(result.status, 0, `npm run spawn-inner -- ${mode}: ${result.stderr}`);
        return JSON.parse(result.stdout) as { agent: string; path: string };
      };

      // Without childEnv the inner npm takes the outer npm's settings as its own: the failure.
      const inherited = run('inherited');
      assert.equal(inherited.agent, fakeAgent);
      assert.ok(inherited.path.split(delimiter).includes(join(outer, 'node_modules', '.bin')), inherited.path);

      const clean = run('clean');
      const nodeVersion = spawnSync('node', ['--version'], { env: shell, encoding: 'utf8' }).stdout.trim();
      assert.ok(clean.agent.startsWith('npm/') && clean.agent.includes(` node/${nodeVersion} `), clean.agent);
      assert.ok(!clean.path.split(delimiter).includes(join(outer, 'node_modules', '.bin')), clean.path);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
