// The toolbar popup: the page's metalinks, each with "Download", and what went wrong
// last time (Braid missing, or a link it refused).
'use strict';

const api = globalThis.browser ?? globalThis.chrome;
const text = (key, ...subs) => api.i18n.getMessage(key, subs) || key;

for (const element of document.querySelectorAll('[data-text]')) {
  element.textContent = text(element.dataset.text);
}

// Runs in the page: links to metalinks, by name or by their declared type.
function metalinksOnPage() {
  const types = ['application/metalink4+xml', 'application/metalink+xml'];
  const byName = /\.(meta4|metalink)$/i;
  const found = new Map();
  for (const element of document.querySelectorAll('a[href], link[href]')) {
    let path = '';
    try {
      path = decodeURIComponent(new URL(element.href).pathname);
    } catch (e) {
      continue;
    }
    const type = (element.getAttribute('type') || '').toLowerCase();
    if (byName.test(path) || types.includes(type)) {
      const label = (element.textContent || '').trim() || path.split('/').pop();
      if (!found.has(element.href)) found.set(element.href, label.slice(0, 120));
    }
  }
  return [...found].map(([url, label]) => ({ url, label }));
}

function showProblem(problem) {
  const box = document.getElementById('problem');
  box.hidden = !problem;
  if (problem) box.textContent = text('problem_' + problem.kind.replace('-', '_'), problem.detail);
}

async function download(urls, pageUrl) {
  const result = await api.runtime.sendMessage({ type: 'download', urls, pageUrl });
  showProblem(result && result.problem);
  if (result && result.ok) document.getElementById('status').textContent = text('popupSent');
}

async function main() {
  document.getElementById('options').addEventListener('click', (event) => {
    event.preventDefault();
    api.runtime.openOptionsPage();
  });
  const { lastProblem } = await api.storage.local.get('lastProblem');
  showProblem(lastProblem);
  const status = document.getElementById('status');
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  let links = [];
  try {
    const [result] = await api.scripting.executeScript({ target: { tabId: tab.id }, func: metalinksOnPage });
    links = (result && result.result) || [];
  } catch (e) {
    status.textContent = text('popupCannotRead');
    return;
  }
  if (links.length === 0) {
    status.textContent = text('popupNone');
    return;
  }
  status.textContent = text('popupFound', String(links.length));
  const list = document.getElementById('links');
  for (const link of links) {
    const item = document.createElement('li');
    const label = document.createElement('span');
    label.textContent = link.label;
    label.title = link.url;
    const button = document.createElement('button');
    button.textContent = text('popupDownload');
    button.addEventListener('click', () => download([link.url], tab.url));
    item.append(label, button);
    list.append(item);
  }
  const all = document.getElementById('all');
  all.hidden = links.length < 2;
  all.addEventListener('click', () => download(links.map((l) => l.url), tab.url));
}

main();
