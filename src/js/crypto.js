// Node's `crypto`, the subset handlers use (docs: Node.js 20 "Crypto"): randomUUID, randomBytes, randomInt,
// getRandomValues (from the seeded stream behind Math.random, so runs are reproducible), createHash / createHmac
// for md5, sha1, sha256, sha384, sha512 with update(data[, encoding]) and digest([encoding]) computed by the host
// (src/js/digest.rs). Anything else is loud: `not simulated: crypto.<name>`.
'use strict';
const host = require('host');
const Buffer = require('buffer');

function randomByte() {
  return Math.floor(Math.random() * 256);
}
// Binary string: one char per byte, what the host's digest reads.
function toBinary(data, encoding) {
  let bytes;
  if (typeof data === 'string') bytes = Buffer.from(data, encoding || 'utf8');
  else if (data instanceof Uint8Array) bytes = data;
  else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  else if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
  else {
    const e = new TypeError(
      'The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ' +
        (data === null ? 'null' : typeof data === 'object' ? 'an instance of ' + (data.constructor ? data.constructor.name : 'Object') : 'type ' + typeof data + ' (' + String(data) + ')'),
    );
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}
function output(hex, encoding) {
  const buf = Buffer.from(hex, 'hex');
  return encoding === undefined || encoding === 'buffer' ? buf : buf.toString(encoding);
}
function finalized() {
  const e = new Error('Digest already called');
  e.code = 'ERR_CRYPTO_HASH_FINALIZED';
  return e;
}

class Hash {
  constructor(algorithm, key) {
    // Check the algorithm now, as Node does (createHash throws at once for an unknown name).
    host.digest(algorithm, key, '');
    this._algorithm = algorithm;
    this._key = key;
    this._data = '';
    this._done = false;
  }
  update(data, encoding) {
    if (this._done) throw finalized();
    this._data += toBinary(data, encoding);
    return this;
  }
  digest(encoding) {
    if (this._done) throw finalized();
    this._done = true;
    return output(host.digest(this._algorithm, this._key, this._data), encoding);
  }
  copy() {
    if (this._done) throw finalized();
    const h = new Hash(this._algorithm, this._key);
    h._data = this._data;
    return h;
  }
}
class Hmac extends Hash {
  copy() {
    throw new Error('not simulated: crypto.Hmac.copy');
  }
}

function createHash(algorithm) {
  return new Hash(String(algorithm), undefined);
}
function createHmac(algorithm, key) {
  return new Hmac(String(algorithm), toBinary(key && typeof key === 'object' && key.export ? key.export() : key));
}
function randomBytes(size, callback) {
  if (typeof size !== 'number' || !(size >= 0) || size > 2147483647 || size !== Math.floor(size)) {
    const e = new RangeError('The value of "size" is out of range. It must be >= 0 && <= 2147483647. Received ' + size);
    e.code = 'ERR_OUT_OF_RANGE';
    throw e;
  }
  const buf = Buffer.alloc(size);
  for (let i = 0; i < size; i++) buf[i] = randomByte();
  if (typeof callback === 'function') {
    setImmediate(() => callback(null, buf));
    return undefined;
  }
  return buf;
}
function getRandomValues(array) {
  if (!ArrayBuffer.isView(array) || array instanceof Float32Array || array instanceof Float64Array) {
    const e = new TypeError('The data argument must be an integer-type TypedArray');
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  if (array.byteLength > 65536) {
    const e = new RangeError(
      "The ArrayBufferView's byte length (" + array.byteLength + ') exceeds the number of bytes of entropy available via this API (65536)',
    );
    e.name = 'QuotaExceededError';
    throw e;
  }
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  for (let i = 0; i < bytes.length; i++) bytes[i] = randomByte();
  return array;
}
function randomUUID() {
  const b = randomBytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
}
function randomInt(min, max, callback) {
  if (max === undefined || typeof max === 'function') {
    callback = max;
    max = min;
    min = 0;
  }
  const n = min + Math.floor(Math.random() * (max - min));
  if (typeof callback === 'function') {
    setImmediate(() => callback(null, n));
    return undefined;
  }
  return n;
}
function timingSafeEqual(a, b) {
  if (a.byteLength !== b.byteLength) {
    const e = new RangeError('Input buffers must have the same byte length');
    e.code = 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH';
    throw e;
  }
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

const exported = {
  createHash,
  createHmac,
  randomBytes,
  randomUUID,
  randomInt,
  getRandomValues,
  timingSafeEqual,
  getHashes: () => ['md5', 'sha1', 'sha256', 'sha384', 'sha512'],
  webcrypto: { getRandomValues, randomUUID },
  Hash,
  Hmac,
};
module.exports = new Proxy(exported, {
  get(target, name) {
    if (name in target || typeof name === 'symbol' || name === 'then' || name === '__esModule' || name === 'toJSON' || name === 'default') return target[name];
    throw new Error('not simulated: crypto.' + String(name));
  },
});
