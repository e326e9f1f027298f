// The options page: what is captured, the never-capture sites, and a check that Braid
// answers.
'use strict';

const api = globalThis.browser ?? globalThis.chrome;
const L = BraidLib;
const text = (key, ...subs) => api.i18n.getMessage(key, subs) || key;
const field = (id) => document.getElementById(id);

for (const element of document.querySelectorAll('[data-text]')) {
  element.textContent = text(element.dataset.text);
}

async function load() {
  const s = L.settings((await api.storage.local.get('settings')).settings);
  field('captureMetalinks').checked = s.captureMetalinks;
  field('captureLarge').checked = s.captureLarge;
  field('largeMiB').value = s.largeMiB;
  field('neverCapture').value = s.neverCapture.join('\n');
  field('startWithoutAsking').checked = s.startWithoutAsking;
}

async function save() {
  const s = L.settings({
    captureMetalinks: field('captureMetalinks').checked,
    captureLarge: field('captureLarge').checked,
    largeMiB: Number(field('largeMiB').value),
    neverCapture: field('neverCapture').value.split(/[\s,]+/),
    startWithoutAsking: field('startWithoutAsking').checked,
  });
  await api.storage.local.set({ settings: s });
  field('saved').textContent = text('optSaved');
  await load();
}

async function test() {
  const result = await api.runtime.sendMessage({ type: 'ping' });
  field('tested').textContent = result && !result.problem
    ? text('optInstalled', String(result.answer.version))
    : text('problem_' + result.problem.kind.replace('-', '_'), result.problem.detail);
}

field('save').addEventListener('click', save);
field('test').addEventListener('click', test);
load();
