// Braid's extension: the decisions, kept apart from the browser so node's test runner
// can check them (browser/test/lib.test.js). background.js, popup.js and options.js use
// them; nothing here touches a browser API.
'use strict';

const BraidLib = (() => {
  const HOST = 'io.github.braid';
  const METALINK_TYPES = ['application/metalink4+xml', 'application/metalink+xml'];
  const METALINK_NAME = /\.(meta4|metalink)$/i;

  const DEFAULTS = Object.freeze({
    captureMetalinks: true,
    captureLarge: false,
    largeMiB: 100,
    neverCapture: [],
    startWithoutAsking: false,
  });

  /** Settings as stored, with defaults for what is missing or malformed. */
  function settings(stored) {
    const s = Object.assign({}, DEFAULTS, stored || {});
    const mib = Number(s.largeMiB);
    s.largeMiB = Number.isFinite(mib) && mib > 0 ? mib : DEFAULTS.largeMiB;
    s.neverCapture = Array.isArray(s.neverCapture) ? s.neverCapture.map(normalSite).filter(Boolean) : [];
    s.captureMetalinks = s.captureMetalinks !== false;
    s.captureLarge = s.captureLarge === true;
    s.startWithoutAsking = s.startWithoutAsking === true;
    return s;
  }

  /** A web link (http or https), else null. */
  function webUrl(text) {
    try {
      const url = new URL(String(text));
      return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
    } catch (e) {
      return null;
    }
  }

  /** "www.Example.org:8080/x" or "https://example.org/" → "example.org"; junk → "". */
  function normalSite(text) {
    let t = String(text || '').trim().toLowerCase();
    if (!t) return '';
    if (!t.includes('://')) t = 'http://' + t;
    try {
      return new URL(t).hostname.replace(/^www\./, '').replace(/^\*\./, '');
    } catch (e) {
      return '';
    }
  }

  /** Whether `host` is `site` or one of its subdomains. */
  function hostMatches(host, site) {
    const h = String(host || '').toLowerCase().replace(/^www\./, '');
    return h === site || h.endsWith('.' + site);
  }

  /** The never-capture entry that covers `url`, if any. */
  function neverCaptured(url, s) {
    const parsed = webUrl(url);
    if (!parsed) return null;
    return s.neverCapture.find((site) => hostMatches(parsed.hostname, site)) || null;
  }

  /** Whether a link names a metalink (by its path, not its query). */
  function isMetalinkUrl(url) {
    const parsed = webUrl(url);
    return !!parsed && METALINK_NAME.test(decodeURIComponent(parsed.pathname));
  }

  function isMetalinkType(mime) {
    const m = String(mime || '').split(';')[0].trim().toLowerCase();
    return METALINK_TYPES.includes(m);
  }

  /** A browser download's size in bytes, when the browser knows it (else null). */
  function downloadSize(item) {
    for (const n of [item.totalBytes, item.fileSize]) {
      if (Number.isFinite(n) && n > 0) return n;
    }
    return null;
  }

  /**
   * Whether Braid takes over a browser download: `{capture, why}`. Metalinks are taken
   * (unless turned off); other downloads only when "large downloads" is on and the size
   * is known and above the threshold; never for a site on the never-capture list, nor
   * for anything but http(s) (blob:, data:, file: stay with the browser).
   */
  function captureDecision(item, stored) {
    const s = settings(stored);
    const url = item.finalUrl || item.url;
    if (!webUrl(url)) return { capture: false, why: 'not-web' };
    if (item.state && item.state !== 'in_progress') return { capture: false, why: 'not-running' };
    const site = neverCaptured(url, s) || neverCaptured(item.referrer, s);
    if (site) return { capture: false, why: 'never:' + site };
    const name = item.filename ? String(item.filename).split(/[\\/]/).pop() : '';
    const metalink = isMetalinkType(item.mime) || isMetalinkUrl(url) || METALINK_NAME.test(name);
    if (metalink) {
      return s.captureMetalinks ? { capture: true, why: 'metalink' } : { capture: false, why: 'metalinks-off' };
    }
    if (!s.captureLarge) return { capture: false, why: 'not-metalink' };
    const size = downloadSize(item);
    if (size === null) return { capture: false, why: 'size-unknown' };
    return size >= s.largeMiB * 1024 * 1024
      ? { capture: true, why: 'large' }
      : { capture: false, why: 'small' };
  }

  /**
   * The host requests for `urls` found on `pageUrl`: only web links, each once, grouped
   * by origin. The page is sent as the referrer only to links of the page's own origin
   * (scheme, host, port), so a page's address does not travel to other sites.
   */
  function requests(urls, pageUrl, start) {
    const page = webUrl(pageUrl);
    const groups = new Map();
    const seen = new Set();
    for (const text of urls || []) {
      const url = webUrl(text);
      if (!url || seen.has(url.href)) continue;
      seen.add(url.href);
      if (!groups.has(url.origin)) groups.set(url.origin, []);
      groups.get(url.origin).push(url.href);
    }
    return [...groups.entries()].map(([origin, list]) => ({
      action: 'download',
      urls: list,
      referrer: page && page.origin === origin ? page.href : '',
      start: !!start,
    }));
  }

  /**
   * The Cookie header a browser sends with `cookies` (what cookies.getAll gives for one
   * URL): longer paths first, as browsers order them; nothing a header cannot hold.
   */
  function cookieHeader(cookies) {
    const sendable = /^[\x21-\x7e]*$/;
    return (cookies || [])
      .filter((c) => c && typeof c.name === 'string' && typeof c.value === 'string')
      .filter((c) => sendable.test(c.name) && !c.name.includes('=') && !c.name.includes(';'))
      .filter((c) => sendable.test(c.value) && !c.value.includes(';'))
      .slice()
      .sort((a, b) => String(b.path || '').length - String(a.path || '').length)
      .map((c) => (c.name ? `${c.name}=${c.value}` : c.value))
      .join('; ');
  }

  /**
   * `request` with each link's cookies (`headers` maps a link to its Cookie header):
   * only for the request's own links, and only those that have some. Braid sends them
   * to that link's own host alone.
   */
  function withCookies(request, headers) {
    const cookies = {};
    for (const url of request.urls) {
      const header = headers && headers[url];
      if (typeof header === 'string' && header) cookies[url] = header;
    }
    return Object.keys(cookies).length ? { ...request, cookies } : request;
  }

  /** Web links in plain text (a selection without anchors). */
  function linksInText(text) {
    const found = String(text || '').match(/https?:\/\/[^\s<>"'()]+/gi) || [];
    return found.map((u) => u.replace(/[.,;:!?]+$/, '')).filter((u) => webUrl(u));
  }

  /** What the host said, as one line for the user; `null` when it said yes. */
  function hostProblem(reply, error) {
    if (error) {
      const text = String((error && error.message) || error);
      // Both browsers say this when the host manifest is missing (or does not allow us).
      if (/not found|no such native application|specified native messaging host/i.test(text)) {
        return { kind: 'not-installed', detail: text };
      }
      return { kind: 'failed', detail: text };
    }
    if (!reply || reply.ok !== true) {
      return { kind: 'refused', detail: (reply && reply.error) || 'no answer' };
    }
    return null;
  }

  return {
    HOST,
    DEFAULTS,
    settings,
    webUrl,
    normalSite,
    hostMatches,
    isMetalinkUrl,
    isMetalinkType,
    captureDecision,
    requests,
    cookieHeader,
    withCookies,
    linksInText,
    hostProblem,
  };
})();

if (typeof module !== 'undefined') module.exports = BraidLib;
