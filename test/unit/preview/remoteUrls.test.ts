// The small readers the frame builder counts with: which URLs reach a host, srcset candidates, and what a
// CSS text loads (tokenised, so comments, strings and escapes are read as the browser reads them).
import * as assert from 'node:assert/strict';
import { cssLoads, isRemoteUrl, srcsetUrls } from '../../../src/vscode/preview/remoteUrls';

describe('Preview remote URLs', () => {
  it('tells URLs that reach a host from those that stay in the message', () => {
    const remote = ['http://t/x', 'HTTPS://t/x', '  http://t/x ', '//t/x', '\\\\t\\x', '/\\t/x', 'h\tt\ntp://t/x', '\u0000http://t'];
    const local = ['data:image/gif;base64,R0lG', 'cid:logo@x', 'relative.gif', '/absolute/path.gif', '#frag', 'javascript:alert(1)', 'about:blank', 'ftp-like:x', ''];
    assert.deepEqual(remote.filter((u) => !isRemoteUrl(u)), []);
    assert.deepEqual(local.filter(isRemoteUrl), []);
  });

  it('reads the URLs of a srcset, descriptors and commas inside URLs included', () => {
    assert.deepEqual(srcsetUrls('a.gif 1x, b.gif 2x'), ['a.gif', 'b.gif']);
    assert.deepEqual(srcsetUrls(' http://t/a,b.gif 100w,http://t/c.gif'), ['http://t/a,b.gif', 'http://t/c.gif']);
    assert.deepEqual(srcsetUrls('x.gif,, ,y.gif'), ['x.gif', 'y.gif']);
    assert.deepEqual(srcsetUrls('a.gif (1x, 2x), b.gif'), ['a.gif', 'b.gif']);
    assert.deepEqual(srcsetUrls(''), []);
  });

  it('finds what a style sheet loads, and what it only mentions', () => {
    const css = [
      '@import url("http://t/a.css") screen;',
      "@import 'http://t/b.css';",
      '/* url(http://t/commented.gif) @import "http://t/c.css"; */',
      '@font-face { font-family: f; src: url(http://t/f.woff2) format("woff2"), local(x) }',
      'p { background: url( http://t/bg.gif ) no-repeat; content: "url(http://t/in-string.gif)" }',
      'q { background-image: \\75 rl(http://t/escaped.gif); cursor: URL("http://t/cursor.png"), auto }',
      'b { background-image: -webkit-image-set("http://t/1x.gif" 1x, url(http://t/2x.gif) 2x) }',
      '@media print { i { list-style-image: url(\'http://t/list.gif\') } }',
    ].join('\n');
    assert.deepEqual(cssLoads(css), [
      { url: 'http://t/a.css', load: 'stylesheet' },
      { url: 'http://t/b.css', load: 'stylesheet' },
      { url: 'http://t/f.woff2', load: 'font' },
      { url: 'http://t/bg.gif', load: 'image' },
      { url: 'http://t/escaped.gif', load: 'image' },
      { url: 'http://t/cursor.png', load: 'image' },
      { url: 'http://t/1x.gif', load: 'image' },
      { url: 'http://t/list.gif', load: 'image' },
    ]);
  });

  it('reads broken CSS without throwing or looping', () => {
    for (const css of ['url(', '@import', '"unterminated', '/* open', 'a{b:url("x', '\\', 'image-set(', '}}}))', 'url(\\']) assert.ok(Array.isArray(cssLoads(css)), css);
  });
});
