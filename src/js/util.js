// Node's `util` (docs: Node.js 20 "Util"): format / inspect (the console's, from the prelude), promisify (with
// util.promisify.custom), callbackify, inherits, deprecate (warns once through console.error, as Node prints the
// DeprecationWarning to stderr), isDeepStrictEqual, types (common predicates), TextEncoder / TextDecoder.
'use strict';
const { format, inspect } = require('internal/console');
const { TextEncoder, TextDecoder } = require('internal/encoding');

const custom = Symbol.for('nodejs.util.promisify.custom');
function invalidArg(name, type, value) {
  const e = new TypeError('The "' + name + '" argument must be of type ' + type + '. Received ' + inspect(value));
  e.code = 'ERR_INVALID_ARG_TYPE';
  return e;
}
function promisify(original) {
  if (typeof original !== 'function') throw invalidArg('original', 'function', original);
  if (original[custom]) {
    const fn = original[custom];
    if (typeof fn !== 'function') throw invalidArg('util.promisify.custom', 'function', fn);
    return fn;
  }
  function fn(...args) {
    return new Promise((resolve, reject) => {
      original.call(this, ...args, (err, ...values) => {
        if (err) reject(err);
        else resolve(values[0]);
      });
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  Object.defineProperty(fn, custom, { value: fn, enumerable: false, writable: false, configurable: true });
  return fn;
}
promisify.custom = custom;
function callbackify(original) {
  if (typeof original !== 'function') throw invalidArg('original', 'function', original);
  return function (...args) {
    const cb = args.pop();
    if (typeof cb !== 'function') throw invalidArg('last argument', 'function', cb);
    original.apply(this, args).then(
      (v) => queueMicrotask(() => cb(null, v)),
      (err) => {
        if (!err) {
          const e = new Error('Promise was rejected with a falsy value');
          e.code = 'ERR_FALSY_VALUE_REJECTION';
          e.reason = err;
          err = e;
        }
        queueMicrotask(() => cb(err));
      },
    );
  };
}
function inherits(ctor, superCtor) {
  if (typeof ctor !== 'function') throw invalidArg('ctor', 'function', ctor);
  if (typeof superCtor !== 'function') throw invalidArg('superCtor', 'function', superCtor);
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}
function deprecate(fn, msg, code) {
  let warned = false;
  return function (...args) {
    if (!warned) {
      warned = true;
      console.error('(node:8) ' + (code ? '[' + code + '] ' : '') + 'DeprecationWarning: ' + msg);
    }
    return new.target ? Reflect.construct(fn, args, new.target) : fn.apply(this, args);
  };
}
const tag = (v) => Object.prototype.toString.call(v).slice(8, -1);
const types = {
  isPromise: (v) => v instanceof Promise,
  isDate: (v) => v instanceof Date,
  isRegExp: (v) => v instanceof RegExp,
  isMap: (v) => v instanceof Map,
  isSet: (v) => v instanceof Set,
  isWeakMap: (v) => v instanceof WeakMap,
  isWeakSet: (v) => v instanceof WeakSet,
  isNativeError: (v) => v instanceof Error,
  isTypedArray: (v) => ArrayBuffer.isView(v) && !(v instanceof DataView),
  isUint8Array: (v) => v instanceof Uint8Array,
  isArrayBuffer: (v) => v instanceof ArrayBuffer,
  isAnyArrayBuffer: (v) => v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer),
  isArrayBufferView: (v) => ArrayBuffer.isView(v),
  isDataView: (v) => v instanceof DataView,
  isAsyncFunction: (v) => typeof v === 'function' && tag(v) === 'AsyncFunction',
  isGeneratorFunction: (v) => typeof v === 'function' && (tag(v) === 'GeneratorFunction' || tag(v) === 'AsyncGeneratorFunction'),
  isGeneratorObject: (v) => tag(v) === 'Generator',
  isBoxedPrimitive: (v) => v instanceof Number || v instanceof String || v instanceof Boolean || (typeof v === 'object' && (tag(v) === 'Symbol' || tag(v) === 'BigInt')),
  isProxy: () => {
    throw new Error('not simulated: util.types.isProxy');
  },
};
function isDeepStrictEqual(a, b, depth) {
  depth = depth || 0;
  if (depth > 1000) throw new RangeError('Maximum call stack size exceeded');
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof RegExp) return String(a) === String(b);
  if (a instanceof Map || a instanceof Set) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a.entries()) {
      if (!b.has(k) || (a instanceof Map && !isDeepStrictEqual(v, b.get(k), depth + 1))) return false;
    }
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !isDeepStrictEqual(a[k], b[k], depth + 1)) return false;
  }
  return true;
}
module.exports = {
  format,
  inspect,
  promisify,
  callbackify,
  inherits,
  deprecate,
  isDeepStrictEqual,
  types,
  TextEncoder,
  TextDecoder,
  isArray: Array.isArray,
};
