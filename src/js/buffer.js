// Node's Buffer, the subset handlers use: utf8 / base64 / base64url / hex / latin1 conversions (docs: Node.js
// "Buffer"). Evaluated the first time code touches `Buffer` (see bootstrap.js `internal`).
'use strict';
function utf8Encode(str) {
  const out = [];
  for (let i = 0; i < str.length; i++) {
    let c = str.codePointAt(i);
    if (c > 0xffff) i++;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}
// WHATWG UTF-8 decode (what Node's toString('utf8') follows): an invalid or truncated sequence becomes one U+FFFD
// for its longest valid prefix, and decoding resumes at the first byte that did not fit.
function utf8Decode(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    let need = 0;
    let c = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      c = b & 31;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      c = b & 15;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      c = b & 7;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    }
    let j = i + 1;
    let seen = 0;
    while (seen < need && j < bytes.length && bytes[j] >= lo && bytes[j] <= hi) {
      c = (c << 6) | (bytes[j] & 63);
      lo = 0x80;
      hi = 0xbf;
      j++;
      seen++;
    }
    out += need > 0 && seen === need ? String.fromCodePoint(c) : '\ufffd';
    i = j;
  }
  return out;
}
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function base64Encode(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return out;
}
function base64Decode(str) {
  const clean = str.replace(/-/g, '+').replace(/_/g, '/').replace(/[^A-Za-z0-9+/]/g, '');
  const out = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    value = (value << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 255);
    }
  }
  return out;
}
function encodeString(str, encoding) {
  switch (String(encoding || 'utf8').toLowerCase()) {
    case 'utf8':
    case 'utf-8':
      return utf8Encode(str);
    case 'base64':
    case 'base64url':
      return base64Decode(str);
    case 'hex': {
      const out = [];
      for (let i = 0; i + 1 < str.length; i += 2) {
        const b = parseInt(str.slice(i, i + 2), 16);
        if (Number.isNaN(b)) break;
        out.push(b);
      }
      return out;
    }
    case 'latin1':
    case 'binary':
    case 'ascii':
      return Array.from(str, (c) => c.charCodeAt(0) & 255);
    default:
      throw new TypeError('not simulated: Buffer encoding ' + encoding);
  }
}
class Buffer extends Uint8Array {
  static from(value, encoding) {
    if (typeof value === 'string') return Buffer.fromBytes(encodeString(value, encoding));
    if (value instanceof ArrayBuffer) return new Buffer(value);
    return Buffer.fromBytes(Array.from(value));
  }
  static fromBytes(bytes) {
    const b = new Buffer(bytes.length);
    b.set(bytes);
    return b;
  }
  static alloc(size, fill) {
    const b = new Buffer(size);
    if (fill !== undefined) b.fill(typeof fill === 'number' ? fill : 0);
    return b;
  }
  static isBuffer(v) {
    return v instanceof Buffer;
  }
  static byteLength(value, encoding) {
    return typeof value === 'string' ? encodeString(value, encoding).length : value.byteLength;
  }
  static concat(list) {
    return Buffer.fromBytes(list.reduce((all, b) => all.concat(Array.from(b)), []));
  }
  toString(encoding, start, end) {
    const bytes = Array.from(this.subarray(start || 0, end === undefined ? this.length : end));
    switch (String(encoding || 'utf8').toLowerCase()) {
      case 'utf8':
      case 'utf-8':
        return utf8Decode(bytes);
      case 'base64':
        return base64Encode(bytes);
      case 'base64url':
        return base64Encode(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      case 'hex':
        return bytes.map((b) => (b < 16 ? '0' : '') + b.toString(16)).join('');
      case 'latin1':
      case 'binary':
      case 'ascii':
        return String.fromCharCode(...bytes);
      default:
        throw new TypeError('not simulated: Buffer encoding ' + encoding);
    }
  }
  toJSON() {
    return { type: 'Buffer', data: Array.from(this) };
  }
  equals(other) {
    return this.length === other.length && this.every((b, i) => b === other[i]);
  }
}
module.exports = Buffer;
