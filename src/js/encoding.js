// The WHATWG Encoding API's TextEncoder / TextDecoder (globals in Node.js 20, also on `util`), UTF-8 only
// (docs: Node.js 20 "Util: class util.TextDecoder"; other encodings are loud). Built on Buffer's UTF-8 codec.
'use strict';
const Buffer = require('buffer');

class TextEncoder {
  get encoding() {
    return 'utf-8';
  }
  encode(input) {
    const b = Buffer.from(input === undefined ? '' : String(input), 'utf8');
    return new Uint8Array(b.buffer, b.byteOffset, b.length);
  }
  encodeInto(src, dest) {
    const bytes = this.encode(src);
    const n = Math.min(bytes.length, dest.length);
    dest.set(bytes.subarray(0, n));
    return { read: n === bytes.length ? src.length : Buffer.from(bytes.subarray(0, n)).toString('utf8').length, written: n };
  }
}
class TextDecoder {
  constructor(label, options) {
    const name = label === undefined ? 'utf-8' : String(label).trim().toLowerCase();
    if (name !== 'utf-8' && name !== 'utf8' && name !== 'unicode-1-1-utf-8') {
      throw new Error('not simulated: TextDecoder for the encoding ' + JSON.stringify(String(label)) + ' (only utf-8)');
    }
    this._fatal = Boolean(options && options.fatal);
    this._ignoreBOM = Boolean(options && options.ignoreBOM);
  }
  get encoding() {
    return 'utf-8';
  }
  get fatal() {
    return this._fatal;
  }
  get ignoreBOM() {
    return this._ignoreBOM;
  }
  decode(input) {
    if (input === undefined) return '';
    let bytes;
    if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
    else if (ArrayBuffer.isView(input)) bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    else {
      const e = new TypeError(
        'The "input" argument must be an instance of ArrayBuffer or ArrayBufferView. Received ' + typeof input,
      );
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    let text = Buffer.from(bytes).toString('utf8');
    if (this._fatal && text.includes('\ufffd') && !Buffer.from(text, 'utf8').equals(Buffer.from(bytes))) {
      const e = new TypeError('The encoded data was not valid for encoding utf-8');
      e.code = 'ERR_ENCODING_INVALID_ENCODED_DATA';
      throw e;
    }
    if (!this._ignoreBOM && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text;
  }
}
module.exports = { TextEncoder, TextDecoder };
