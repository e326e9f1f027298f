// The extension's decisions (browser/lib.js), with node's test runner:
//   node --test browser/test/
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const L = require('../lib.js');

test('metalink downloads are taken, by type, path or file name', () => {
  const base = { url: 'https://mirror.example/x', state: 'in_progress' };
  for (const item of [
    { ...base, mime: 'application/metalink4+xml' },
    { ...base, mime: 'application/metalink+xml; charset=utf-8' },
    { ...base, url: 'https://mirror.example/iso/disc.meta4' },
    { ...base, url: 'https://mirror.example/files/disc%20one.METALINK?mirror=de' },
    { ...base, filename: '/home/u/Downloads/disc.meta4', mime: 'application/octet-stream' },
  ]) {
    assert.deepEqual(L.captureDecision(item, {}), { capture: true, why: 'metalink' }, JSON.stringify(item));
  }
  assert.equal(L.captureDecision({ ...base, url: 'https://a.example/x.iso?f=a.meta4' }, {}).capture, false);
  assert.equal(L.captureDecision({ ...base, mime: 'application/metalink4+xml' }, { captureMetalinks: false }).why, 'metalinks-off');
});

test('only web downloads that are running are taken', () => {
  const meta = { mime: 'application/metalink4+xml', state: 'in_progress' };
  assert.equal(L.captureDecision({ ...meta, url: 'blob:https://a.example/1234' }, {}).why, 'not-web');
  assert.equal(L.captureDecision({ ...meta, url: 'data:application/metalink4+xml,<metalink/>' }, {}).why, 'not-web');
  assert.equal(L.captureDecision({ ...meta, url: 'file:///tmp/x.meta4' }, {}).why, 'not-web');
  assert.equal(L.captureDecision({ ...meta, url: 'https://a.example/x.meta4', state: 'complete' }, {}).why, 'not-running');
});

test('large downloads are taken only when asked, above the threshold, with a known size', () => {
  const item = { url: 'https://cdn.example/big.iso', state: 'in_progress', totalBytes: 200 * 1024 * 1024 };
  assert.equal(L.captureDecision(item, {}).why, 'not-metalink');
  const on = { captureLarge: true, largeMiB: 100 };
  assert.deepEqual(L.captureDecision(item, on), { capture: true, why: 'large' });
  assert.equal(L.captureDecision({ ...item, totalBytes: 5 }, on).why, 'small');
  assert.equal(L.captureDecision({ ...item, totalBytes: 0, fileSize: -1 }, on).why, 'size-unknown');
  assert.equal(L.captureDecision({ ...item, totalBytes: 0, fileSize: 150 * 1024 * 1024 }, on).why, 'large');
  // A bad threshold falls back to the default of 100 MiB.
  assert.equal(L.captureDecision(item, { captureLarge: true, largeMiB: 'lots' }).why, 'large');
});

test('the never-capture list covers a site and its subdomains, by link or by page', () => {
  const s = { neverCapture: ['Example.org', 'https://www.other.example/path', '', '  '] };
  assert.deepEqual(L.settings(s).neverCapture, ['example.org', 'other.example']);
  const item = { url: 'https://dl.example.org/x.meta4', state: 'in_progress' };
  assert.equal(L.captureDecision(item, s).why, 'never:example.org');
  assert.equal(L.captureDecision({ ...item, url: 'https://cdn.example/x.meta4', referrer: 'https://www.other.example/page' }, s).why, 'never:other.example');
  assert.equal(L.captureDecision({ ...item, url: 'https://notexample.org/x.meta4' }, s).capture, true);
});

test('requests carry web links only, once each, and the page only to its own origin', () => {
  const page = 'https://site.example/downloads?os=linux';
  const got = L.requests(
    [
      'https://site.example/a.meta4',
      'https://site.example/a.meta4',
      'https://mirror.example/b.iso',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'ftp://old.example/c',
      'not a link',
      'http://site.example/c.meta4',
    ],
    page,
    true,
  );
  assert.deepEqual(got, [
    { action: 'download', urls: ['https://site.example/a.meta4'], referrer: page, start: true },
    { action: 'download', urls: ['https://mirror.example/b.iso'], referrer: '', start: true },
    // Another scheme is another origin: no https page address over plain http.
    { action: 'download', urls: ['http://site.example/c.meta4'], referrer: '', start: true },
  ]);
  assert.deepEqual(L.requests([], page, false), []);
  assert.deepEqual(L.requests(['https://a.example/x'], 'about:blank', false), [
    { action: 'download', urls: ['https://a.example/x'], referrer: '', start: false },
  ]);
});

test('cookies become one header per link, for the request\'s own links only', () => {
  const got = L.cookieHeader([
    { name: 'theme', value: 'dark', path: '/' },
    { name: 'session', value: 'abc123', path: '/files' },
    { name: 'bad', value: 'x\r\nHost: evil', path: '/' },
    { name: 'semi', value: 'a;b', path: '/' },
    { name: '', value: 'bare', path: '/' },
    null,
  ]);
  assert.equal(got, 'session=abc123; theme=dark; bare');
  assert.equal(L.cookieHeader([]), '');
  assert.equal(L.cookieHeader(undefined), '');
  const request = { action: 'download', urls: ['https://a.example/x.iso'], referrer: '', start: false };
  assert.deepEqual(
    L.withCookies(request, { 'https://a.example/x.iso': 's=1', 'https://b.example/y': 't=2' }),
    { ...request, cookies: { 'https://a.example/x.iso': 's=1' } },
  );
  assert.deepEqual(L.withCookies(request, { 'https://a.example/x.iso': '' }), request);
  assert.deepEqual(L.withCookies(request, {}), request);
});

test('links are found in selected text', () => {
  assert.deepEqual(
    L.linksInText('Get https://a.example/x.meta4, or (http://b.example/y.iso). Not ftp://c/z.'),
    ['https://a.example/x.meta4', 'http://b.example/y.iso'],
  );
});

test("the host's answers become a problem to show, or none", () => {
  assert.equal(L.hostProblem({ ok: true }, null), null);
  assert.deepEqual(L.hostProblem({ ok: false, error: 'not an http(s) link: x' }, null), {
    kind: 'refused',
    detail: 'not an http(s) link: x',
  });
  assert.equal(L.hostProblem(null, new Error('Specified native messaging host not found.')).kind, 'not-installed');
  assert.equal(L.hostProblem(null, new Error('No such native application io.github.braid')).kind, 'not-installed');
  assert.equal(L.hostProblem(null, new Error('Native host has exited.')).kind, 'failed');
  assert.equal(L.hostProblem(undefined, null).kind, 'refused');
});

test('the manifest serves both browsers and names what the host allows', () => {
  const dir = path.join(__dirname, '..');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  assert.equal(manifest.manifest_version, 3);
  assert.equal(manifest.background.service_worker, 'background.js');
  assert.deepEqual(manifest.background.scripts, ['lib.js', 'background.js']);
  assert.equal(manifest.browser_specific_settings.gecko.id, 'extension@braid.github.io');
  assert.ok(manifest.permissions.includes('nativeMessaging'));
  // Chromium's id is the SHA-256 of the key, first 32 hex digits as the letters a-p.
  const digest = require('node:crypto').createHash('sha256').update(Buffer.from(manifest.key, 'base64')).digest('hex');
  const id = [...digest.slice(0, 32)].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
  const shipped = JSON.parse(
    fs.readFileSync(path.join(dir, '../packaging/linux/native-messaging/chromium/io.github.braid.json'), 'utf8'),
  );
  assert.deepEqual(shipped.allowed_origins, [`chrome-extension://${id}/`]);
  // Every message the pages use exists in every language.
  const locales = ['en', 'de', 'es'].map((l) =>
    JSON.parse(fs.readFileSync(path.join(dir, '_locales', l, 'messages.json'), 'utf8')),
  );
  const keys = Object.keys(locales[0]).sort();
  for (const locale of locales) assert.deepEqual(Object.keys(locale).sort(), keys);
  const used = new Set();
  for (const file of ['background.js', 'popup.js', 'options.js', 'popup.html', 'options.html']) {
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const m of source.matchAll(/(?:text\('([A-Za-z_]*[A-Za-z])'|data-text="([A-Za-z_]+)")/g)) used.add(m[1] || m[2]);
  }
  // Problems are shown as 'problem_' + their kind.
  for (const kind of ['not-installed', 'failed', 'refused']) used.add('problem_' + kind.replace('-', '_'));
  for (const key of used) assert.ok(keys.includes(key), `missing message ${key}`);
});
