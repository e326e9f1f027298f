// Braid's extension, in the background: Chromium runs this as an MV3 service worker,
// Firefox as an event page (manifest "background" names it both ways). It adds "Download
// with Braid" to the menus of links and selections, takes over metalink downloads (and,
// when asked to, large ones), and hands links to Braid's native messaging host
// (`braid native-host`), which passes them to the Braid window or starts it.
'use strict';

if (typeof BraidLib === 'undefined' && typeof importScripts === 'function') importScripts('lib.js');

const api = globalThis.browser ?? globalThis.chrome;
const L = BraidLib;
const MENU_LINK = 'braid-link';
const MENU_SELECTION = 'braid-selection';

const text = (key, ...subs) => api.i18n.getMessage(key, subs) || key;

async function settings() {
  const stored = await api.storage.local.get('settings');
  return L.settings(stored.settings);
}

/**
 * Hands `urls` (found on `pageUrl`) to Braid, each with the cookies the browser holds
 * for it (from the cookie store `storeId`, e.g. a private window's or a container's).
 * Says how it went on the toolbar button: a red "!" and a title that tells why, when
 * Braid is missing or said no.
 */
async function send(urls, pageUrl, storeId) {
  const s = await settings();
  const requests = L.requests(urls, pageUrl, s.startWithoutAsking);
  if (requests.length === 0) {
    return report({ kind: 'refused', detail: text('noLinks') });
  }
  for (const request of requests) {
    let reply = null;
    let error = null;
    try {
      const headers = await cookieHeaders(request.urls, storeId);
      reply = await api.runtime.sendNativeMessage(L.HOST, L.withCookies(request, headers));
    } catch (e) {
      error = e;
    }
    const problem = L.hostProblem(reply, error);
    if (problem) return report(problem);
  }
  return report(null);
}

/**
 * The Cookie header the browser would send to each of `urls`. A link the extension may
 * not read cookies for (no host permission) or a store that is gone gets none: the
 * link still goes to Braid, as a public one.
 */
async function cookieHeaders(urls, storeId) {
  const headers = {};
  if (!api.cookies) return headers;
  for (const url of urls) {
    try {
      const query = storeId ? { url, storeId } : { url };
      const header = L.cookieHeader(await api.cookies.getAll(query));
      if (header) headers[url] = header;
    } catch (e) {
      // No cookies for it.
    }
  }
  return headers;
}

/** Shows (or clears) a problem on the toolbar button and keeps it for the popup. */
async function report(problem) {
  await api.storage.local.set({ lastProblem: problem });
  try {
    if (problem) {
      await api.action.setBadgeBackgroundColor({ color: '#c62828' });
      await api.action.setBadgeText({ text: '!' });
      await api.action.setTitle({ title: text('problem_' + problem.kind.replace('-', '_'), problem.detail) });
    } else {
      await api.action.setBadgeText({ text: '' });
      await api.action.setTitle({ title: text('actionTitle') });
    }
  } catch (e) {
    // No toolbar button (e.g. while the browser starts): the popup still shows it.
  }
  return { ok: !problem, problem };
}

function createMenus() {
  Promise.resolve(api.contextMenus.removeAll()).then(() => {
    api.contextMenus.create({ id: MENU_LINK, title: text('menuLink'), contexts: ['link'] });
    api.contextMenus.create({ id: MENU_SELECTION, title: text('menuSelection'), contexts: ['selection'] });
  });
}

api.runtime.onInstalled.addListener(createMenus);
api.runtime.onStartup.addListener(createMenus);

api.contextMenus.onClicked.addListener((info, tab) => {
  const page = info.pageUrl || (tab && tab.url) || '';
  const store = tab && tab.cookieStoreId;
  if (info.menuItemId === MENU_LINK && info.linkUrl) return send([info.linkUrl], page, store);
  if (info.menuItemId === MENU_SELECTION) return sendSelection(info, tab, page);
  return undefined;
});

/** The links of a selection: its anchors (read in the page), else URLs in its text. */
async function sendSelection(info, tab, page) {
  let urls = [];
  try {
    const [result] = await api.scripting.executeScript({ target: { tabId: tab.id }, func: linksInSelection });
    urls = (result && result.result) || [];
  } catch (e) {
    // A page scripts may not read (the browser's own pages): the text still has links.
  }
  if (urls.length === 0) urls = L.linksInText(info.selectionText);
  return send(urls, page, tab && tab.cookieStoreId);
}

// Runs in the page (serialised by scripting.executeScript): must stand alone.
function linksInSelection() {
  const found = new Set();
  const selection = window.getSelection();
  for (let i = 0; i < selection.rangeCount; i++) {
    const range = selection.getRangeAt(i);
    const root = range.commonAncestorContainer;
    const element = root.nodeType === 1 ? root : root.parentElement;
    if (!element) continue;
    const around = element.closest('a[href]');
    if (around) found.add(around.href);
    for (const a of element.querySelectorAll('a[href]')) {
      if (range.intersectsNode(a)) found.add(a.href);
    }
  }
  return [...found];
}

// Downloads: metalinks (and large files, when on) go to Braid. The browser's download
// is cancelled at once (Firefox writes the file's name on disk from the first moment);
// should Braid not take the link, the browser downloads it again itself, so nothing is
// lost when Braid is missing.
const waitingForSize = new Map();
const leaveToBrowser = new Set();

// The settings, kept at hand: a download to take over must be cancelled at once.
let stored = null;
api.storage.onChanged.addListener((changes) => {
  if (changes.settings) stored = changes.settings.newValue || {};
});

async function consider(item) {
  const url = item.finalUrl || item.url;
  if (leaveToBrowser.delete(url)) return;
  if (stored === null) stored = (await api.storage.local.get('settings')).settings || {};
  const decision = L.captureDecision(item, stored);
  if (decision.why === 'size-unknown') {
    waitingForSize.set(item.id, item);
    return;
  }
  if (decision.capture) await takeOver(item);
}

async function takeOver(item) {
  waitingForSize.delete(item.id);
  const url = item.finalUrl || item.url;
  const cancelled = api.downloads.cancel(item.id);
  try {
    await cancelled;
    await api.downloads.erase({ id: item.id });
  } catch (e) {
    // Finished or gone already: Braid gets it all the same.
  }
  const result = await send([url], item.referrer || '', item.cookieStoreId);
  if (!result.ok) {
    leaveToBrowser.add(url);
    try {
      await api.downloads.download({ url });
    } catch (e) {
      leaveToBrowser.delete(url);
    }
  }
}

api.storage.local.get('settings').then((found) => {
  if (stored === null) stored = found.settings || {};
});

api.downloads.onCreated.addListener((item) => {
  consider(item);
});

api.downloads.onChanged.addListener((delta) => {
  const item = waitingForSize.get(delta.id);
  if (!item) return;
  if (delta.state && delta.state.current !== 'in_progress') {
    waitingForSize.delete(delta.id);
    return;
  }
  const total = delta.totalBytes && delta.totalBytes.current;
  if (total > 0) {
    waitingForSize.delete(delta.id);
    consider(Object.assign({}, item, { totalBytes: total }));
  }
});

// The popup and the options page ask through here.
api.runtime.onMessage.addListener((message, sender, reply) => {
  if (message && message.type === 'download') {
    send(message.urls, message.pageUrl).then(reply);
    return true;
  }
  if (message && message.type === 'ping') {
    api.runtime
      .sendNativeMessage(L.HOST, { action: 'ping' })
      .then((answer) => reply({ answer, problem: L.hostProblem(answer, null) }))
      .catch((error) => reply({ problem: L.hostProblem(null, error) }));
    return true;
  }
  return false;
});
