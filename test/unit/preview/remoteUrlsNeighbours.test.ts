// The neighbours of each reading rule of remoteUrls.ts: a URL next to one that only looks like it (a
// scheme that starts with http, a double slash in the middle, whitespace inside rather than around), a
// srcset next to one that ends or nests differently, and CSS next to CSS that only mentions a URL (strings,
// comments, escapes, blocks closed). Counting these right is what tells the reader honestly what the
// preview blocked.
import * as assert from 'node:assert/strict';
import { cssLoads, isRemoteUrl, srcsetUrls } from '../../../src/vscode/preview/remoteUrls';

describe('Preview remote URLs: the neighbours of each rule', () => {
  describe('isRemoteUrl', () => {
    it('strips only what the URL parser strips: C0 and space around the URL, tab and newline anywhere', () => {
      for (const url of ['\u0001\u001f http://t/x', 'http://t/x\u0000\u0020', '\u0020//t', '/\t/t/x', '/\n/t', '\r//t', 'ht\rtps://t', ' \t\\\\t']) {
        assert.equal(isRemoteUrl(url), true, JSON.stringify(url));
      }
      // Inside the URL, other whitespace and controls stay: these are paths, not hosts.
      for (const url of ['/ /t/x', '/\u0001/t', '/\u000b/t', '/\u00a0/t', '!//t', '\u00a0//t', '\u0021http://t']) {
        assert.equal(isRemoteUrl(url), false, JSON.stringify(url));
      }
    });

    it('a scheme is read from the start only, and only http and https reach a host', () => {
      for (const url of ['//t/a:b', '//t/x?u=mailto:x', '\\\\t/cid:x', 'http:t', 'HtTp://t', 'https:/t']) assert.equal(isRemoteUrl(url), true, url);
      for (const url of ['httpx://t', 'https-proxy://t', 'xhttp://t', 'web+http://t', 'http.s://t', 'a1:x', 'z9+.-://t', 'relative//t', 'a/b//t', 'cid:x//t', '1http://t']) {
        assert.equal(isRemoteUrl(url), false, url);
      }
    });
  });

  describe('srcsetUrls', () => {
    it('a comma inside a URL is part of it; trailing commas end it', () => {
      assert.deepEqual(srcsetUrls('a.gif,b.gif'), ['a.gif,b.gif']);
      assert.deepEqual(srcsetUrls('a.gif,,, b.gif'), ['a.gif', 'b.gif']);
      assert.deepEqual(srcsetUrls('a.gif, b.gif,'), ['a.gif', 'b.gif']);
      assert.deepEqual(srcsetUrls(',,,'), []);
      assert.deepEqual(srcsetUrls('http://t/a,b,, c.gif'), ['http://t/a,b', 'c.gif'], 'only the commas at its end are cut');
    });

    it('candidates are separated by any whitespace and commas, and descriptors end at the next comma', () => {
      assert.deepEqual(srcsetUrls('\ta.gif\n1x,\r\nb.gif\f2x'), ['a.gif', 'b.gif']);
      assert.deepEqual(srcsetUrls('a.gif 100w 2x, b.gif'), ['a.gif', 'b.gif']);
      assert.deepEqual(srcsetUrls('a.gif 1x'), ['a.gif']);
    });

    it('a comma inside parentheses does not end a descriptor; a stray close parenthesis does not open one', () => {
      assert.deepEqual(srcsetUrls('a.gif ((x, y), z), b.gif'), ['a.gif', 'b.gif']);
      assert.deepEqual(srcsetUrls('a.gif 1x), b.gif 2x)), c.gif'), ['a.gif', 'b.gif', 'c.gif']);
      assert.deepEqual(srcsetUrls('a.gif (1x, b.gif'), ['a.gif'], 'an unclosed parenthesis runs to the end');
    });
  });

  describe('cssLoads', () => {
    const urls = (css: string) => cssLoads(css).map((l) => `${l.load} ${l.url}`);

    it('url() in every spelling: unquoted with spaces, quoted, upper case, escaped, and an empty one', () => {
      assert.deepEqual(urls('a{b:url(  http://t/1  )}'), ['image http://t/1']);
      assert.deepEqual(urls("a{b:url( 'http://t/2' )}"), ['image http://t/2']);
      assert.deepEqual(urls('a{b:UrL("http://t/3")}'), ['image http://t/3']);
      assert.deepEqual(urls('a{b:url(http://t/a\\)b)}'), ['image http://t/a)b'], 'an escaped ) inside an unquoted url');
      assert.deepEqual(urls('a{b:url(http://t/\\41 x)}'), ['image http://t/Ax'], 'a hex escape and the space that ends it');
      assert.deepEqual(urls('a{b:url()} c{d:url(  )}'), [], 'nothing to load');
      assert.deepEqual(urls('a{b:url(http://t/open'), ['image http://t/open'], 'a url token cut off by the end');
    });

    it('strings: escapes, an escaped newline, a bad string ended by a newline, the other quote inside', () => {
      assert.deepEqual(urls('@import "http://t/\\"q\\".css";'), ['stylesheet http://t/"q".css']);
      assert.deepEqual(urls('@import "http://t/a\\\nb.css";'), ['stylesheet http://t/ab.css']);
      assert.deepEqual(urls('@import "http://t/bad\n; a{b:url(http://t/after)}'), ['stylesheet http://t/bad', 'image http://t/after']);
      assert.deepEqual(urls('@import "http://t/bad\n"; a{b:url(http://t/x)}'), ['stylesheet http://t/bad', 'stylesheet ; a{b:url(http://t/x)}'], 'the quote after the newline opens a new string');
      assert.deepEqual(urls(`@import "http://t/it's.css";`), ["stylesheet http://t/it's.css"]);
      assert.deepEqual(urls(`@import 'http://t/say"hi".css';`), ['stylesheet http://t/say"hi".css']);
    });

    it('escapes: hex up to six digits, out-of-range and surrogate code points, an escape at the very end', () => {
      assert.deepEqual(urls('a{b:\\000075rl(http://t/six)}'), ['image http://t/six'], 'six hex digits');
      assert.deepEqual(urls('a{b:u\\72l(http://t/r)}'), ['image http://t/r']);
      assert.deepEqual(urls('a{b:url("http://t/\\0000411")}'), ['image http://t/A1'], 'the seventh digit is a character');
      assert.deepEqual(urls('a{b:url("http://t/\\110000")}'), ['image http://t/\ufffd']);
      assert.deepEqual(urls('a{b:url("http://t/\\d800")}'), ['image http://t/\ufffd']);
      assert.deepEqual(urls('a{b:url("http://t/\\dfff")}'), ['image http://t/\ufffd']);
      assert.deepEqual(urls('a{b:url("http://t/\\d7ff")}'), ['image http://t/\ud7ff']);
      assert.deepEqual(urls('a{b:url("http://t/\\e000")}'), ['image http://t/\ue000']);
      assert.deepEqual(urls('a{b:url("http://t/\\10ffff")}'), ['image http://t/\u{10ffff}']);
      assert.deepEqual(urls('a{b:url("http://t/\\0")}'), ['image http://t/\ufffd']);
      assert.deepEqual(urls('a{b:url("http://t/\\g")}'), ['image http://t/g'], 'a non-hex escape is the character itself');
      assert.deepEqual(urls('a{b:url("http://t/\\41\tB")}'), ['image http://t/AB'], 'one whitespace after a hex escape is eaten');
    });

    it('an escape cannot start at a newline, so a backslash before one starts no name', () => {
      assert.deepEqual(urls('a{b:\\\nurl(http://t/nl)}'), ['image http://t/nl']);
      assert.deepEqual(urls('@\\\nimport "http://t/x.css";'), [], 'no at-rule: @ then a backslash-newline');
      assert.deepEqual(urls('@\\69mport "http://t/y.css";'), ['stylesheet http://t/y.css'], 'an escaped at-keyword');
    });

    it('@import counts strings and urls only in its prelude; the prelude ends at ; or {', () => {
      assert.deepEqual(urls('@import url(http://t/a.css); a{content:"http://t/b.css"}'), ['stylesheet http://t/a.css']);
      assert.deepEqual(urls('@IMPORT "http://t/a.css" screen'), ['stylesheet http://t/a.css']);
      assert.deepEqual(urls('@import "http://t/a.css"; @media print { a { b: url(http://t/c.gif) } }'), ['stylesheet http://t/a.css', 'image http://t/c.gif']);
      assert.deepEqual(urls('@imports "http://t/x.css"'), [], 'another at-rule');
      assert.deepEqual(urls('@import {} "http://t/x.css"'), [], 'a block ends the prelude');
    });

    it('@font-face urls are fonts, src() too; urls after its block are images again', () => {
      assert.deepEqual(urls('@font-face{src:url(http://t/f1)} a{b:url(http://t/i1)}'), ['font http://t/f1', 'image http://t/i1']);
      assert.deepEqual(urls('@FONT-FACE{src:src("http://t/f2")}'), ['font http://t/f2']);
      assert.deepEqual(urls('@font-face; a{b:url(http://t/i2)}'), ['image http://t/i2'], 'a statement, not a block');
      assert.deepEqual(urls('@font-face{a{b:url(http://t/f3)}}'), ['font http://t/f3'], 'inside a nested block still a font');
      assert.deepEqual(urls('a{src:src(http://t/x)}'), [], 'src() without a string is not read');
    });

    it('image-set(): one load per set, the first remote candidate, nested functions closed first', () => {
      assert.deepEqual(urls('a{b:image-set("local.gif" 1x, "http://t/r.gif" 2x)}'), ['image http://t/r.gif']);
      assert.deepEqual(urls('a{b:image-set("one.gif" 1x, "two.gif" 2x)}'), ['image one.gif']);
      assert.deepEqual(urls('a{b:-WEBKIT-IMAGE-SET(url(http://t/w.gif) 1x)}'), ['image http://t/w.gif']);
      assert.deepEqual(urls('a{b:image-set(url("http://t/u.gif") type("image/png"), "http://t/v.gif")}'), ['image http://t/u.gif']);
      assert.deepEqual(urls('a{b:image-set()}'), [], 'an empty set loads nothing');
      assert.deepEqual(urls('a{b:image-set(x) url(http://t/after.gif)}'), ['image http://t/after.gif'], 'a set of no string and no url adds nothing');
      assert.deepEqual(urls('a{b:image-set("http://t/1.gif" 1x), "http://t/not.gif"}'), ['image http://t/1.gif'], 'a string after the set is not a candidate');
      assert.deepEqual(urls('a{b:image-set("http://t/o.gif") url(http://t/n.gif)}'), ['image http://t/o.gif', 'image http://t/n.gif']);
      assert.deepEqual(urls('a{b:image-set(image-set("http://t/in.gif"))}'), ['image http://t/in.gif'], 'a nested set gives its choice to the outer one');
      assert.deepEqual(urls('a{b:image-set(x(url(http://t/a)) 1x, "http://t/b" 2x)}'), ['image http://t/a'], 'a url inside another function inside the set is a candidate');
    });

    it('reads CSS cut off right after a src( without throwing', () => {
      assert.deepEqual(urls('a{b:src('), []);
      assert.deepEqual(urls('a{b:src("http://t/f")'), ['image http://t/f'], 'outside @font-face a src() string is an image');
    });

    it('a comment starts only at /*, and ends at the first */ after it', () => {
      assert.deepEqual(urls('a{b:1/2;c:url(http://t/x)}'), ['image http://t/x']);
      assert.deepEqual(urls('a{b:2*3;c:url(http://t/y)}'), ['image http://t/y']);
      assert.deepEqual(urls('/*/ url(http://t/c) */a{b:url(http://t/r)}'), ['image http://t/r']);
      assert.deepEqual(urls('/**/a{b:url(http://t/s)}'), ['image http://t/s']);
    });

    it('a backslash before CR or form feed starts no escape either; one at the very end escapes nothing', () => {
      assert.deepEqual(urls('a{b:\\\rurl(http://t/cr)}'), ['image http://t/cr']);
      assert.deepEqual(urls('a{b:\\\furl(http://t/ff)}'), ['image http://t/ff']);
      assert.deepEqual(urls('@import "http://t/a.css\\'), ['stylesheet http://t/a.css']);
      assert.deepEqual(urls('a{b:url(http://t/x\\'), ['image http://t/x']);
      assert.deepEqual(urls('@import "http://t/\\41'), ['stylesheet http://t/A']);
    });

    it('only a { ends a prelude and opens a @font-face block; ( and [ nest, and close again', () => {
      assert.deepEqual(urls('@import [x] "http://t/a.css"; @import (y) "http://t/b.css";'), ['stylesheet http://t/a.css', 'stylesheet http://t/b.css']);
      assert.deepEqual(urls('@font-face [url(http://t/x)] {}'), ['image http://t/x']);
      assert.deepEqual(urls('@font-face (url(http://t/y)) {}'), ['image http://t/y']);
      assert.deepEqual(urls('@font-face{a:(b); src:url(http://t/f1)}'), ['font http://t/f1']);
      assert.deepEqual(urls('@font-face{a:[b]; src:url(http://t/f2)}'), ['font http://t/f2']);
      assert.deepEqual(urls('@font-face{a:[b]} c{d:url(http://t/i)}'), ['image http://t/i']);
      assert.deepEqual(urls('@font-face{src:url(http://t/f3) format("woff2"), url(http://t/f4)}'), ['font http://t/f3', 'font http://t/f4']);
    });

    it('what is neither a url nor in a prelude is not a load: names, numbers, brackets, comments', () => {
      assert.deepEqual(urls('a[href="http://t/attr"]{content:"http://t/c"}'), []);
      assert.deepEqual(urls('a{b:url-like(http://t/x) c:myurl(http://t/y)}'), []);
      assert.deepEqual(urls('a{/* url(http://t/c) */b:url(http://t/real)}'), ['image http://t/real']);
      assert.deepEqual(urls('a{b:url(http://t/x)/**/}/* open comment url(http://t/y)'), ['image http://t/x']);
      assert.deepEqual(urls('a{b:url (http://t/space)}'), [], 'a space before ( makes no function');
      assert.deepEqual(urls('a{b:_url(http://t/u) c:-url(http://t/v)}'), []);
      assert.deepEqual(urls('a{b:\u00e9url(http://t/w)}'), [], 'a non-ASCII name character joins the name');
    });
  });
});
