// Node's `url` (docs: Node.js 20 "URL"): the WHATWG URL and URLSearchParams classes (also globals), and the legacy
// url.parse / url.format / url.resolve basics, fileURLToPath / pathToFileURL.
// The WHATWG parser here covers what handlers meet: special schemes (http, https, ws, wss, ftp, file) with
// authority, default-port removal, lowercase ASCII hosts, dot-segment removal, percent-encoding of the path, query
// and fragment sets (WHATWG URL Standard, "percent-encode sets"), relative references against a base, and
// non-special schemes with an opaque path (mailto:, urn:). Non-ASCII host names (IDNA/punycode) are loud.
'use strict';

const SPECIAL = { 'ftp:': '21', 'file:': '', 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };
const C0 = (c) => c < 0x20 || c > 0x7e;
const FRAGMENT_SET = (c) => C0(c) || ' "<>`'.includes(String.fromCharCode(c));
const QUERY_SET = (c) => C0(c) || ' "#<>'.includes(String.fromCharCode(c));
const SPECIAL_QUERY_SET = (c) => QUERY_SET(c) || c === 0x27;
const PATH_SET = (c) => QUERY_SET(c) || '?`{}^'.includes(String.fromCharCode(c));
const USERINFO_SET = (c) => PATH_SET(c) || '/:;=@[\\]|'.includes(String.fromCharCode(c));

function encodeSet(str, inSet) {
  let out = '';
  for (const ch of str) {
    const code = ch.codePointAt(0);
    if (code < 0x80 && !inSet(code)) {
      out += ch;
      continue;
    }
    for (const b of new TextEncoder().encode(ch)) out += '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
  }
  return out;
}
function invalid(input) {
  const e = new TypeError('Invalid URL');
  e.code = 'ERR_INVALID_URL';
  e.input = input;
  return e;
}
function parseHost(raw, special, input) {
  if (raw.startsWith('[')) {
    if (!raw.endsWith(']') || !/^\[[0-9a-fA-F:.]+\]$/.test(raw)) throw invalid(input);
    return raw.toLowerCase();
  }
  if (!special) return encodeSet(raw, C0);
  let host;
  try {
    host = decodeURIComponent(raw).toLowerCase();
  } catch (_) {
    throw invalid(input);
  }
  if (/[^\x00-\x7f]/.test(host)) throw new Error('not simulated: URL host names outside ASCII (IDNA) in ' + JSON.stringify(input));
  if (/[\x00-\x20#%/:<>?@[\\\]^|]/.test(host)) throw invalid(input);
  return host;
}
function normalizePath(segments, special) {
  const out = [];
  for (let s of segments) {
    const lower = s.toLowerCase();
    if (lower === '%2e') s = '.';
    else if (lower === '.%2e' || lower === '%2e.' || lower === '%2e%2e') s = '..';
    if (s === '..') {
      out.pop();
      if (segments[segments.length - 1] === s) out.push('');
    } else if (s === '.') {
      if (segments[segments.length - 1] === s) out.push('');
    } else out.push(encodeSet(s, PATH_SET));
  }
  return '/' + out.join('/');
}
function splitTail(rest) {
  let hash = null;
  let query = null;
  const h = rest.indexOf('#');
  if (h >= 0) {
    hash = rest.slice(h + 1);
    rest = rest.slice(0, h);
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  return { rest, query, hash };
}
function parseURL(input, base) {
  const original = input;
  input = String(input).replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '').replace(/[\t\n\r]/g, '');
  const r = { protocol: '', username: '', password: '', hostname: '', port: '', pathname: '', query: null, hash: null, opaque: false };
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(input);
  let rest;
  if (m) {
    r.protocol = m[1].toLowerCase() + ':';
    rest = input.slice(m[0].length);
  } else {
    if (!base) throw invalid(original);
    const b = base;
    if (b.opaque && !input.startsWith('#')) throw invalid(original);
    r.protocol = b.protocol;
    rest = input;
    const special = r.protocol in SPECIAL;
    const slashes = special ? /^[/\\]{2}/ : /^\/\//;
    if (!slashes.test(rest)) {
      Object.assign(r, { username: b.username, password: b.password, hostname: b.hostname, port: b.port, opaque: b.opaque });
      const t = splitTail(rest);
      r.hash = t.hash === null ? null : encodeSet(t.hash, FRAGMENT_SET);
      if (t.rest === '' && t.query === null) {
        r.pathname = b.pathname;
        r.query = b.query;
        return r;
      }
      r.query = t.query === null ? null : encodeSet(t.query, special ? SPECIAL_QUERY_SET : QUERY_SET);
      if (t.rest === '') {
        r.pathname = b.pathname;
        return r;
      }
      const path = special ? t.rest.replace(/\\/g, '/') : t.rest;
      const merged = path.startsWith('/') ? path : b.pathname.slice(0, b.pathname.lastIndexOf('/') + 1) + path;
      r.pathname = normalizePath(merged.split('/').slice(1), special);
      return r;
    }
  }
  const special = r.protocol in SPECIAL;
  const hasAuthority = special || rest.startsWith('//');
  if (!special && !hasAuthority) {
    const t = splitTail(rest);
    r.opaque = true;
    r.pathname = encodeSet(t.rest, C0);
    r.query = t.query === null ? null : encodeSet(t.query, QUERY_SET);
    r.hash = t.hash === null ? null : encodeSet(t.hash, FRAGMENT_SET);
    return r;
  }
  if (r.protocol === 'file:') {
    // file: takes exactly two slashes before its (usually empty) host (WHATWG "file host state").
    if (!/^[/\\]{2}/.test(rest)) {
      const t = splitTail(rest);
      r.pathname = normalizePath(t.rest.replace(/\\/g, '/').replace(/^\/?/, '/').split('/').slice(1), true);
      r.query = t.query === null ? null : encodeSet(t.query, SPECIAL_QUERY_SET);
      r.hash = t.hash === null ? null : encodeSet(t.hash, FRAGMENT_SET);
      return r;
    }
    rest = rest.slice(2);
  } else rest = special ? rest.replace(/^[/\\]*/, '') : rest.slice(2);
  const end = rest.search(special ? /[/\\?#]/ : /[/?#]/);
  let authority = end < 0 ? rest : rest.slice(0, end);
  rest = end < 0 ? '' : rest.slice(end);
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const info = authority.slice(0, at);
    const colon = info.indexOf(':');
    r.username = encodeSet(colon < 0 ? info : info.slice(0, colon), USERINFO_SET);
    r.password = colon < 0 ? '' : encodeSet(info.slice(colon + 1), USERINFO_SET);
    authority = authority.slice(at + 1);
  }
  const pm = /:(\d*)$/.exec(authority);
  if (pm && !authority.endsWith(']')) {
    authority = authority.slice(0, pm.index);
    if (pm[1] !== '') {
      const port = Number(pm[1]);
      if (port > 65535) throw invalid(original);
      r.port = String(port) === SPECIAL[r.protocol] ? '' : String(port);
    }
  } else if (/:[^\]]*$/.test(authority) && !authority.startsWith('[')) throw invalid(original);
  if (authority === '' && special && r.protocol !== 'file:') throw invalid(original);
  r.hostname = parseHost(authority, special, original);
  const t = splitTail(rest);
  const path = special ? t.rest.replace(/\\/g, '/') : t.rest;
  r.pathname = path === '' ? (special ? '/' : '') : normalizePath(path.split('/').slice(1), special);
  r.query = t.query === null ? null : encodeSet(t.query, special ? SPECIAL_QUERY_SET : QUERY_SET);
  r.hash = t.hash === null ? null : encodeSet(t.hash, FRAGMENT_SET);
  return r;
}

// ---- URLSearchParams (application/x-www-form-urlencoded) ----
function formEncode(s) {
  let out = '';
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9*\-._]/.test(c)) out += c;
    else if (b === 0x20) out += '+';
    else out += '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
  }
  return out;
}
function formDecode(s) {
  const bytes = [];
  const utf8 = new TextEncoder().encode(s.replace(/\+/g, ' '));
  for (let i = 0; i < utf8.length; i++) {
    const hex = i + 2 < utf8.length ? String.fromCharCode(utf8[i + 1], utf8[i + 2]) : '';
    if (utf8[i] === 37 && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(utf8[i]);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
class URLSearchParams {
  constructor(init) {
    this._list = [];
    this._url = null;
    if (init === undefined || init === null) return;
    if (typeof init === 'object' && typeof init[Symbol.iterator] === 'function') {
      for (const pair of init) {
        const p = Array.from(pair);
        if (p.length !== 2) {
          const e = new TypeError('Each query pair must be an iterable [name, value] tuple');
          e.code = 'ERR_INVALID_TUPLE';
          throw e;
        }
        this._list.push([String(p[0]), String(p[1])]);
      }
    } else if (typeof init === 'object') {
      for (const k of Object.keys(init)) this._list.push([k, String(init[k])]);
    } else {
      this._parse(String(init).replace(/^\?/, ''));
    }
  }
  _parse(s) {
    this._list = [];
    for (const part of s.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      this._list.push(eq < 0 ? [formDecode(part), ''] : [formDecode(part.slice(0, eq)), formDecode(part.slice(eq + 1))]);
    }
  }
  _update() {
    if (this._url) this._url._query = this._list.length ? this.toString() : null;
  }
  get size() {
    return this._list.length;
  }
  append(name, value) {
    this._list.push([String(name), String(value)]);
    this._update();
  }
  delete(name, value) {
    name = String(name);
    this._list = this._list.filter(([k, v]) => k !== name || (value !== undefined && v !== String(value)));
    this._update();
  }
  get(name) {
    const hit = this._list.find(([k]) => k === String(name));
    return hit ? hit[1] : null;
  }
  getAll(name) {
    return this._list.filter(([k]) => k === String(name)).map(([, v]) => v);
  }
  has(name, value) {
    return this._list.some(([k, v]) => k === String(name) && (value === undefined || v === String(value)));
  }
  set(name, value) {
    name = String(name);
    const i = this._list.findIndex(([k]) => k === name);
    if (i < 0) this._list.push([name, String(value)]);
    else {
      this._list[i][1] = String(value);
      this._list = this._list.filter(([k], j) => k !== name || j === i);
    }
    this._update();
  }
  sort() {
    // Stable sort by UTF-16 code units of the names (WHATWG URL Standard).
    this._list = this._list
      .map((p, i) => [p, i])
      .sort((a, b) => (a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1]))
      .map(([p]) => p);
    this._update();
  }
  forEach(fn, thisArg) {
    for (const [k, v] of this._list) fn.call(thisArg, v, k, this);
  }
  *entries() {
    for (const [k, v] of this._list) yield [k, v];
  }
  *keys() {
    for (const [k] of this._list) yield k;
  }
  *values() {
    for (const [, v] of this._list) yield v;
  }
  [Symbol.iterator]() {
    return this.entries();
  }
  toString() {
    return this._list.map(([k, v]) => formEncode(k) + '=' + formEncode(v)).join('&');
  }
}

class URL {
  constructor(input, base) {
    const b = base === undefined ? undefined : parseURL(String(base instanceof URL ? base.href : base));
    const r = parseURL(input instanceof URL ? input.href : String(input), b);
    this._protocol = r.protocol;
    this._username = r.username;
    this._password = r.password;
    this._hostname = r.hostname;
    this._port = r.port;
    this._pathname = r.pathname;
    this._query = r.query;
    this._hash = r.hash;
    this._opaque = r.opaque;
    this._params = new URLSearchParams(r.query || '');
    this._params._url = this;
  }
  static canParse(input, base) {
    try {
      new URL(input, base);
      return true;
    } catch (_) {
      return false;
    }
  }
  get protocol() {
    return this._protocol;
  }
  get username() {
    return this._username;
  }
  get password() {
    return this._password;
  }
  get hostname() {
    return this._hostname;
  }
  set hostname(v) {
    this._hostname = parseHost(String(v), this._protocol in SPECIAL, String(v));
  }
  get port() {
    return this._port;
  }
  set port(v) {
    const s = String(v);
    if (s === '') this._port = '';
    else if (/^\d+/.test(s) && Number(/^\d+/.exec(s)[0]) <= 65535) {
      const n = String(Number(/^\d+/.exec(s)[0]));
      this._port = n === SPECIAL[this._protocol] ? '' : n;
    }
  }
  get host() {
    return this._hostname + (this._port ? ':' + this._port : '');
  }
  get origin() {
    if (this._protocol in SPECIAL && this._protocol !== 'file:') return this._protocol + '//' + this.host;
    return 'null';
  }
  get pathname() {
    return this._pathname;
  }
  set pathname(v) {
    if (this._opaque) return;
    const special = this._protocol in SPECIAL;
    const p = String(v).replace(special ? /\\/g : /$^/, '/');
    this._pathname = normalizePath((p.startsWith('/') ? p : '/' + p).split('/').slice(1), special);
  }
  get search() {
    return this._query ? '?' + this._query : '';
  }
  set search(v) {
    const s = String(v).replace(/^\?/, '');
    this._query = s === '' ? null : encodeSet(s, this._protocol in SPECIAL ? SPECIAL_QUERY_SET : QUERY_SET);
    this._params._list = [];
    this._params._parse(s);
  }
  get searchParams() {
    return this._params;
  }
  get hash() {
    return this._hash ? '#' + this._hash : '';
  }
  set hash(v) {
    const s = String(v).replace(/^#/, '');
    this._hash = s === '' ? null : encodeSet(s, FRAGMENT_SET);
  }
  get href() {
    let out = this._protocol;
    if (!this._opaque && (this._hostname !== '' || this._protocol in SPECIAL || this._protocol === 'file:')) {
      out += '//';
      if (this._username || this._password) {
        out += this._username + (this._password ? ':' + this._password : '') + '@';
      }
      out += this.host;
    }
    out += this._pathname;
    if (this._query !== null) out += '?' + this._query;
    if (this._hash !== null) out += '#' + this._hash;
    return out;
  }
  set href(v) {
    const u = new URL(v);
    Object.assign(this, u);
    this._params._url = this;
  }
  toString() {
    return this.href;
  }
  toJSON() {
    return this.href;
  }
}

// ---- legacy API (docs: "Legacy URL API") ----
function Url() {
  this.protocol = null;
  this.slashes = null;
  this.auth = null;
  this.host = null;
  this.port = null;
  this.hostname = null;
  this.hash = null;
  this.search = null;
  this.query = null;
  this.pathname = null;
  this.path = null;
  this.href = null;
}
function parse(urlStr, parseQueryString, slashesDenoteHost) {
  if (typeof urlStr !== 'string') {
    const e = new TypeError('The "url" argument must be of type string. Received ' + typeof urlStr);
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  const querystring = require('querystring');
  const u = new Url();
  let rest = urlStr.trim();
  const h = rest.indexOf('#');
  if (h >= 0) {
    u.hash = rest.slice(h);
    rest = rest.slice(0, h);
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    u.search = rest.slice(q);
    u.query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  } else if (parseQueryString) {
    u.search = '';
  }
  if (parseQueryString) u.query = querystring.parse(u.query || '');
  const proto = /^([a-zA-Z0-9.+-]+:)/.exec(rest);
  if (proto) {
    u.protocol = proto[1].toLowerCase();
    rest = rest.slice(proto[1].length);
  }
  const hostless = u.protocol === 'javascript:';
  if ((proto || slashesDenoteHost) && rest.startsWith('//') && !hostless) {
    u.slashes = true;
    rest = rest.slice(2);
    const end = rest.search(/[/\\]/);
    let authority = end < 0 ? rest : rest.slice(0, end);
    rest = end < 0 ? '' : rest.slice(end);
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      u.auth = decodeURIComponent(authority.slice(0, at));
      authority = authority.slice(at + 1);
    }
    const pm = /:(\d*)$/.exec(authority);
    if (pm) {
      if (pm[1] !== '') u.port = pm[1];
      authority = authority.slice(0, pm.index);
    }
    u.hostname = authority.toLowerCase();
    u.host = u.hostname + (u.port ? ':' + u.port : '');
    if (rest === '' && u.protocol in SPECIAL) rest = '/';
  }
  if (rest !== '') u.pathname = rest;
  u.path = (u.pathname || '') + (u.search || '') || null;
  u.href = format(u);
  return u;
}
function format(obj, options) {
  if (typeof obj === 'string') obj = parse(obj);
  if (obj instanceof URL) {
    const o = Object.assign({ auth: true, fragment: true, search: true, unicode: false }, options);
    let out = obj.protocol + '//';
    if (o.auth && (obj.username || obj.password)) out += obj.username + (obj.password ? ':' + obj.password : '') + '@';
    out += obj.host + obj.pathname;
    if (o.search) out += obj.search;
    if (o.fragment) out += obj.hash;
    return out;
  }
  let protocol = obj.protocol || '';
  if (protocol && !protocol.endsWith(':')) protocol += ':';
  let host = '';
  if (obj.host) host = obj.host;
  else if (obj.hostname) host = obj.hostname + (obj.port ? ':' + obj.port : '');
  if (host && obj.auth) host = encodeURIComponent(obj.auth).replace(/%3A/i, ':') + '@' + host;
  let pathname = (obj.pathname || '').replace(/[?#]/g, encodeURIComponent);
  let search = obj.search || '';
  if (!search && obj.query && typeof obj.query === 'object' && Object.keys(obj.query).length) {
    search = '?' + require('querystring').stringify(obj.query);
  }
  if (search && !search.startsWith('?')) search = '?' + search;
  search = search.replace('#', '%23');
  let hash = obj.hash || '';
  if (hash && !hash.startsWith('#')) hash = '#' + hash;
  const slashes = obj.slashes || protocol in SPECIAL;
  if (host || (slashes && protocol === 'file:')) {
    if (pathname && !pathname.startsWith('/')) pathname = '/' + pathname;
    host = '//' + host;
  } else if (slashes && host === '' && protocol !== '') host = '//';
  return protocol + host + pathname + search + hash;
}
function resolve(from, to) {
  // Only absolute `from` URLs are simulated: there Node's legacy resolve agrees with WHATWG resolution.
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(from)) throw new Error('not simulated: url.resolve with a relative base');
  return new URL(to, from).href;
}
function fileURLToPath(u) {
  const url = typeof u === 'string' ? new URL(u) : u;
  if (url.protocol !== 'file:') {
    const e = new TypeError('The URL must be of scheme file');
    e.code = 'ERR_INVALID_URL_SCHEME';
    throw e;
  }
  return decodeURIComponent(url.pathname);
}
function pathToFileURL(p) {
  const url = new URL('file:///');
  url.pathname = require('path').resolve(p).replace(/%/g, '%25');
  return url;
}
module.exports = { URL, URLSearchParams, Url, parse, format, resolve, fileURLToPath, pathToFileURL };
