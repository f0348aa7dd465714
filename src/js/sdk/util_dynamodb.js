// `@aws-sdk/util-dynamodb`: JavaScript values <-> DynamoDB AttributeValues. Behaviour and error messages are the
// SDK's (aws-sdk-js-v3 packages/util-dynamodb: convertToAttr, convertToNative, marshall, unmarshall, NumberValue;
// docs "Marshalling" in the v3 developer guide). Written here from that behaviour, not copied.
'use strict';
const BINARY_TYPES = [
  'ArrayBuffer', 'Blob', 'Buffer', 'DataView', 'File', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
  'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];
const UNDEFINED_MESSAGE = 'Pass options.removeUndefinedValues=true to remove undefined values from map/array/set.';
const MAX_DEPTH = 64;

/// A number kept as its exact decimal string (NumberValue of util-dynamodb).
class NumberValue {
  constructor(value) {
    this.value = typeof value === 'object' && value !== null && 'N' in value ? String(value.N) : String(value);
    const number = typeof value.valueOf() === 'number' ? value.valueOf() : 0;
    if (number > Number.MAX_SAFE_INTEGER || number < Number.MIN_SAFE_INTEGER || Math.abs(number) === Infinity || Number.isNaN(number)) {
      throw new Error('NumberValue should not be initialized with an imprecise number=' + number + '. Use a string instead.');
    }
  }
  static from(value) {
    return new NumberValue(value);
  }
  toAttributeValue() {
    return { N: this.toString() };
  }
  toBigInt() {
    return BigInt(this.toString());
  }
  toString() {
    return String(this.value);
  }
  valueOf() {
    return this.toString();
  }
}

function constructorName(v) {
  return v !== null && v !== undefined && v.constructor ? v.constructor.name : undefined;
}
function isBinary(v) {
  const name = constructorName(v);
  return name !== undefined && BINARY_TYPES.includes(name);
}
function numberAttr(num, options) {
  const text = num.toString();
  if (text === 'NaN' || text === 'Infinity' || text === '-Infinity') {
    throw new Error('Special numeric value ' + text + ' is not allowed');
  }
  if (!(options && options.allowImpreciseNumbers)) {
    if (Number(num) > Number.MAX_SAFE_INTEGER) {
      throw new Error('Number ' + text + ' is greater than Number.MAX_SAFE_INTEGER. Use NumberValue from @aws-sdk/lib-dynamodb.');
    }
    if (Number(num) < Number.MIN_SAFE_INTEGER) {
      throw new Error('Number ' + text + ' is lesser than Number.MIN_SAFE_INTEGER. Use NumberValue from @aws-sdk/lib-dynamodb.');
    }
  }
  return { N: text };
}
function keep(value, options) {
  return typeof value !== 'function' && (value !== undefined || !(options && options.removeUndefinedValues));
}
function mapAttr(entries, options, depth) {
  const M = {};
  for (let i = 0; i < entries.length; i++) {
    const key = entries[i][0];
    const value = entries[i][1];
    if (keep(value, options)) M[key] = toAttr(value, options, depth + 1);
  }
  return { M };
}
function setAttr(set, options) {
  const remove = options && options.removeUndefinedValues;
  const values = Array.from(set).filter((v) => !remove || v !== undefined);
  if (!remove && values.includes(undefined)) throw new Error(UNDEFINED_MESSAGE);
  if (values.length === 0) {
    if (options && options.convertEmptyValues) return { NULL: true };
    throw new Error('Pass a non-empty set, or options.convertEmptyValues=true.');
  }
  const first = values[0];
  if (first instanceof NumberValue) return { NS: values.map((v) => v.toString()) };
  if (typeof first === 'number') return { NS: values.map((v) => numberAttr(v, options).N) };
  if (typeof first === 'bigint') return { NS: values.map((v) => v.toString()) };
  if (typeof first === 'string') return { SS: values.map((v) => v.toString()) };
  if (isBinary(first)) return { BS: values };
  throw new Error('Only Number Set (NS), Binary Set (BS) or String Set (SS) are allowed.');
}
function toAttr(data, options, depth) {
  if (depth > MAX_DEPTH) throw new RangeError('not simulated: values nested deeper than ' + MAX_DEPTH + ' levels');
  if (data === undefined) throw new Error(UNDEFINED_MESSAGE);
  if (data === null) return { NULL: true };
  if (Array.isArray(data)) {
    return { L: data.filter((v) => keep(v, options)).map((v) => toAttr(v, options, depth + 1)) };
  }
  const name = constructorName(data);
  if (name === 'Set') return setAttr(data, options);
  if (name === 'Map') return mapAttr(Array.from(data), options, depth);
  if (name === 'Object' || (typeof data === 'object' && !data.constructor)) {
    const entries = [];
    for (const key in data) entries.push([key, data[key]]);
    return mapAttr(entries, options, depth);
  }
  if (isBinary(data)) {
    if (data.length === 0 && options && options.convertEmptyValues) return { NULL: true };
    return { B: data };
  }
  if (typeof data === 'boolean' || name === 'Boolean') return { BOOL: data.valueOf() };
  if (typeof data === 'number' || name === 'Number') return numberAttr(data, options);
  if (data instanceof NumberValue) return data.toAttributeValue();
  if (typeof data === 'bigint') return { N: data.toString() };
  if (typeof data === 'string' || name === 'String') {
    if (data.length === 0 && options && options.convertEmptyValues) return { NULL: true };
    return { S: data.toString() };
  }
  if (options && options.convertClassInstanceToMap && typeof data === 'object') {
    const entries = [];
    for (const key in data) entries.push([key, data[key]]);
    return mapAttr(entries, options, depth);
  }
  throw new Error('Unsupported type passed: ' + data + '. Pass options.convertClassInstanceToMap=true to marshall typeof object as map attribute.');
}
function convertToAttr(data, options) {
  return toAttr(data, options, 0);
}

function toNumber(text, options) {
  if (options && typeof options.wrapNumbers === 'function') return options.wrapNumbers(text);
  if (options && options.wrapNumbers) return NumberValue.from(text);
  const num = Number(text);
  const infinite = num === Infinity || num === -Infinity;
  if ((num > Number.MAX_SAFE_INTEGER || num < Number.MIN_SAFE_INTEGER) && !infinite) {
    try {
      return BigInt(text);
    } catch (_) {
      throw new Error(text + " can't be converted to BigInt. Set options.wrapNumbers to get string value.");
    }
  }
  return num;
}
function toNative(data, options, depth) {
  if (depth > MAX_DEPTH) throw new RangeError('not simulated: values nested deeper than ' + MAX_DEPTH + ' levels');
  // Index loops, not entries iterators: this runs once per attribute, and iterators are slow in the interpreter.
  const keys = Object.keys(data);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = data[key];
    if (value === undefined) continue;
    switch (key) {
      case 'NULL':
        return null;
      case 'BOOL':
        return Boolean(value);
      case 'N':
        return toNumber(value, options);
      case 'B':
        return value;
      case 'S':
        return value;
      case 'L':
        return value.map((v) => toNative(v, options, depth + 1));
      case 'M': {
        const out = {};
        const names = Object.keys(value);
        for (let j = 0; j < names.length; j++) out[names[j]] = toNative(value[names[j]], options, depth + 1);
        return out;
      }
      case 'NS':
        return new Set(value.map((v) => toNumber(v, options)));
      case 'BS':
        return new Set(value);
      case 'SS':
        return new Set(value);
      default:
        throw new Error('Unsupported type passed: ' + key);
    }
  }
  throw new Error('No value defined: ' + JSON.stringify(data));
}
function convertToNative(data, options) {
  return toNative(data, options, 0);
}

/// A JavaScript value as an AttributeValue; objects and arrays give the content of M / L unless
/// options.convertTopLevelContainer.
function marshall(data, options) {
  const attr = convertToAttr(data, options);
  const key = Object.keys(attr)[0];
  if ((key === 'M' || key === 'L') && !(options && options.convertTopLevelContainer)) return attr[key];
  return attr;
}
function unmarshall(data, options) {
  if (options && options.convertWithoutMapWrapper) return convertToNative(data, options);
  return convertToNative({ M: data }, options);
}

module.exports = { marshall, unmarshall, convertToAttr, convertToNative, NumberValue };
