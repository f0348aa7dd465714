// Node's `querystring` (docs: Node.js 20 "Query string"): parse/decode, stringify/encode, escape, unescape.
// escape leaves A-Z a-z 0-9 - _ . ! ~ * ' ( ) as they are (what encodeURIComponent leaves); parse turns '+' into
// a space, collects repeated keys into arrays, stops after maxKeys (default 1000) and returns a null-prototype
// object; unescape falls back to a lenient decoder for malformed percent sequences, as Node's unescapeBuffer does.
'use strict';

function escape(str) {
  return encodeURIComponent(typeof str === 'string' ? str : String(str));
}
function hexValue(c) {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}
// Lenient: decodes every valid %XX into a byte, keeps anything else, then reads the bytes as UTF-8.
function unescapeLenient(s) {
  const bytes = [];
  const utf8 = new TextEncoder().encode(s);
  for (let i = 0; i < utf8.length; i++) {
    if (utf8[i] === 37 && i + 2 < utf8.length) {
      const hi = hexValue(utf8[i + 1]);
      const lo = hexValue(utf8[i + 2]);
      if (hi >= 0 && lo >= 0) {
        bytes.push(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    bytes.push(utf8[i]);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
function unescape(s) {
  try {
    return decodeURIComponent(s);
  } catch (_) {
    return unescapeLenient(s);
  }
}
function primitive(v) {
  if (typeof v === 'string') return v;
  if ((typeof v === 'number' && isFinite(v)) || typeof v === 'bigint' || typeof v === 'boolean') return '' + v;
  return '';
}
function stringify(obj, sep, eq, options) {
  sep = sep || '&';
  eq = eq || '=';
  const encode = (options && typeof options.encodeURIComponent === 'function' && options.encodeURIComponent) || exported.escape;
  if (obj === null || typeof obj !== 'object') return '';
  const parts = [];
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    const k = encode(primitive(key)) + eq;
    if (Array.isArray(value)) {
      for (const v of value) parts.push(k + encode(primitive(v)));
    } else {
      parts.push(k + encode(primitive(value)));
    }
  }
  return parts.join(sep);
}
function parse(qs, sep, eq, options) {
  const out = Object.create(null);
  if (typeof qs !== 'string' || qs.length === 0) return out;
  sep = sep || '&';
  eq = eq || '=';
  const maxKeys = options && typeof options.maxKeys === 'number' ? options.maxKeys : 1000;
  const decode = (options && typeof options.decodeURIComponent === 'function' && options.decodeURIComponent) || exported.unescape;
  let pairs = qs.split(sep);
  if (maxKeys > 0) pairs = pairs.slice(0, maxKeys);
  for (const pair of pairs) {
    if (pair.length === 0) continue;
    const at = pair.indexOf(eq);
    const rawKey = at >= 0 ? pair.slice(0, at) : pair;
    const rawValue = at >= 0 ? pair.slice(at + eq.length) : '';
    const key = decode(rawKey.replace(/\+/g, ' '));
    const value = decode(rawValue.replace(/\+/g, ' '));
    if (!(key in out)) out[key] = value;
    else if (Array.isArray(out[key])) out[key].push(value);
    else out[key] = [out[key], value];
  }
  return out;
}
const exported = { parse, stringify, escape, unescape, decode: parse, encode: stringify, unescapeBuffer: (s) => Buffer.from(unescapeLenient(String(s))) };
module.exports = exported;
