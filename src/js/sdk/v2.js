// The simulated AWS SDK for JavaScript v2 (`aws-sdk`, bundled up to nodejs16.x): `new AWS.DynamoDB()` with one method
// per operation, `AWS.DynamoDB.DocumentClient`, `AWS.DynamoDB.Converter`, and the other services of services.js.
// A method returns an AWS.Request, sent at once when a node-style callback is given, else by `.promise()` / `.send()`.
// Errors are Errors with `code`, `message`, `time`, `requestId`, `statusCode`, `retryable`, `retryDelay` (SDK v2
// developer guide "Handling errors"; the fields v2 errors print with), named after their code (the errorType Lambda
// reports for an unhandled v2 error). Outputs have no `$metadata`; blobs are Buffers, timestamps Dates.
'use strict';
const host = require('host');
const v3 = require('v3');
const services = require('services');
const Buffer = host.Buffer;

function v2Bytes(text) {
  return Buffer.from(text, 'base64');
}
function region(configured) {
  return configured;
}

const RETRYABLE_CODE = /Throttl|LimitExceeded|RequestLimitExceeded/;
function awsError(def, answer) {
  const error = answer.error;
  const e = new Error(error.message);
  e.code = error.code;
  e.time = new Date();
  e.requestId = answer.requestId;
  e.statusCode = error.statusCode;
  // v2 retries throttling and 5xx errors; everything else is final (retries are not simulated here).
  e.retryable = error.statusCode >= 500 || RETRYABLE_CODE.test(error.code);
  // v2's jittered delay before a retry: random() * 2^retryCount * base (base 50 ms for DynamoDB, 100 ms otherwise).
  e.retryDelay = Math.random() * def.retryBaseMs;
  Object.defineProperty(e, 'name', { value: error.code, writable: true, enumerable: false, configurable: true });
  return e;
}

class Request {
  constructor(def, operation, params, configuredRegion, translate) {
    this.operation = operation;
    this.params = params;
    this.__def = def;
    this.__region = configuredRegion;
    this.__translate = translate;
    this.__promise = undefined;
  }
  __run() {
    if (!this.__promise) {
      const def = this.__def;
      let input;
      try {
        input = this.__translate ? this.__translate.input(this.params) : this.params;
      } catch (e) {
        this.__promise = Promise.reject(e);
        return this.__promise;
      }
      this.__promise = v3.send(def, this.operation, input, region(this.__region)).then((answer) => {
        if (answer.error) throw awsError(def, answer);
        const output = v3.decodeOutput(def, answer.output, v2Bytes);
        return this.__translate ? this.__translate.output(output) : output;
      });
    }
    return this.__promise;
  }
  promise() {
    return this.__run();
  }
  send(callback) {
    const p = this.__run();
    if (typeof callback === 'function') p.then((r) => callback(null, r), (e) => callback(e, null));
    else p.catch(() => undefined);
    return this;
  }
  on() {
    throw new Error('not simulated: AWS.Request events (request.on)');
  }
  abort() {
    throw new Error('not simulated: AWS.Request.abort');
  }
}

function lowerFirst(s) {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
const config = {
  region: (typeof process === 'object' && process.env && process.env.AWS_REGION) || 'us-east-1',
  update(options) {
    Object.assign(config, options || {});
  },
};

function service(def) {
  const Service = { [def.v2Name]: class {
    constructor(options) {
      this.config = Object.assign({}, config, options || {});
    }
  } }[def.v2Name];
  Object.defineProperty(Service, 'name', { value: def.v2Name, configurable: true });
  for (const operation of def.operations) {
    Service.prototype[lowerFirst(operation)] = function (params, callback) {
      const request = new Request(def, operation, params || {}, this.config.region);
      if (typeof callback === 'function') request.send(callback);
      return request;
    };
  }
  return Service;
}

// ---- DynamoDB.Converter and DocumentClient (v2 lib/dynamodb) ----
class DynamoDBSet {
  constructor(list, options) {
    this.wrapperName = 'Set';
    this.values = [].concat(list);
    const first = this.values[0];
    this.type = setType(first);
    if (this.type === undefined) {
      const e = new Error('Sets can contain string, number, or binary values');
      e.code = 'InvalidSetType';
      throw e;
    }
    if (options && options.validate) {
      for (const v of this.values) {
        if (setType(v) !== this.type) {
          const e = new Error(this.type + ' Set contains ' + typeOf(v) + ' value');
          e.code = 'ValidationException';
          throw e;
        }
      }
    }
  }
  toJSON() {
    return this.values;
  }
}
function isBinary(v) {
  return v instanceof Uint8Array || v instanceof ArrayBuffer;
}
function typeOf(v) {
  if (v === null && typeof v === 'object') return 'null';
  if (v !== undefined && isBinary(v)) return 'Binary';
  if (v !== undefined && v.constructor) return v.wrapperName || v.constructor.name;
  if (v !== undefined && typeof v === 'object') return 'Object';
  return 'undefined';
}
function setType(v) {
  return { String: 'String', Number: 'Number', NumberValue: 'Number', Binary: 'Binary' }[typeOf(v)];
}
class NumberValue {
  constructor(value) {
    this.wrapperName = 'NumberValue';
    this.value = value.toString();
  }
  toJSON() {
    return this.toNumber();
  }
  toNumber() {
    return Number(this.value);
  }
  toString() {
    return this.value;
  }
}
const MAX_DEPTH = 64;
function input(data, options, depth) {
  if (depth > MAX_DEPTH) throw new RangeError('not simulated: values nested deeper than ' + MAX_DEPTH + ' levels');
  const type = typeOf(data);
  if (type === 'Object') return formatMap(data, options, depth);
  if (type === 'Array') {
    const L = [];
    for (const v of data) {
      const f = input(v, options, depth + 1);
      if (f !== undefined) L.push(f);
    }
    return { L };
  }
  if (type === 'Set') {
    const values = data.values;
    if (options.convertEmptyValues && values.length === 0) return { NULL: true };
    if (data.type === 'String') return { SS: values };
    if (data.type === 'Binary') return { BS: values };
    if (data.type === 'Number') return { NS: values.map((v) => v.toString()) };
    return {};
  }
  if (type === 'String') return data.length === 0 && options.convertEmptyValues ? { NULL: true } : { S: data };
  if (type === 'Number' || type === 'NumberValue') return { N: data.toString() };
  if (type === 'Binary') return data.length === 0 && options.convertEmptyValues ? { NULL: true } : { B: data };
  if (type === 'Boolean') return { BOOL: data };
  if (type === 'null') return { NULL: true };
  if (type !== 'undefined' && type !== 'Function') return formatMap(data, options, depth);
  return undefined;
}
function formatMap(data, options, depth) {
  const M = {};
  for (const key in data) {
    const f = input(data[key], options, depth + 1);
    if (f !== undefined) M[key] = f;
  }
  return { M };
}
function output(data, options, depth) {
  if (depth > MAX_DEPTH) throw new RangeError('not simulated: values nested deeper than ' + MAX_DEPTH + ' levels');
  const number = (v) => (options.wrapNumbers ? new NumberValue(v) : Number(v));
  for (const type in data) {
    const v = data[type];
    if (type === 'M') {
      const m = {};
      for (const k in v) m[k] = output(v[k], options, depth + 1);
      return m;
    }
    if (type === 'L') return v.map((x) => output(x, options, depth + 1));
    if (type === 'SS') return new DynamoDBSet(v.map(String));
    if (type === 'NS') return new DynamoDBSet(v.map(number));
    if (type === 'BS') return new DynamoDBSet(v.map((b) => Buffer.from(b)));
    if (type === 'S') return String(v);
    if (type === 'N') return number(v);
    if (type === 'BOOL') return v === 'true' || v === 'TRUE' || v === true;
    if (type === 'NULL') return null;
    if (type === 'B') return Buffer.from(v);
  }
  return undefined;
}
const Converter = {
  input: (data, options) => input(data, options || {}, 0),
  marshall: (data, options) => input(data, options || {}, 0).M,
  output: (data, options) => output(data, options || {}, 0),
  unmarshall: (data, options) => output({ M: data }, options || {}, 0),
};

// The members of each DocumentClient operation's params / result that hold items or values (v2 lib/dynamodb/translator).
const MAP = 'map';
const VALUE = 'value';
const each = (node) => ({ '*': node });
const EXPECTED = each({ Value: VALUE, AttributeValueList: each(VALUE) });
const CONDITIONS = each({ AttributeValueList: each(VALUE) });
const METRICS = { ItemCollectionKey: MAP };
const WRITES = each(each({ PutRequest: { Item: MAP }, DeleteRequest: { Key: MAP } }));
const DOCUMENT_OPERATIONS = {
  put: ['PutItem', { Item: MAP, ExpressionAttributeValues: MAP, Expected: EXPECTED }, { Attributes: MAP, ItemCollectionMetrics: METRICS }],
  get: ['GetItem', { Key: MAP }, { Item: MAP }],
  update: ['UpdateItem', { Key: MAP, ExpressionAttributeValues: MAP, AttributeUpdates: each({ Value: VALUE }), Expected: EXPECTED }, { Attributes: MAP, ItemCollectionMetrics: METRICS }],
  delete: ['DeleteItem', { Key: MAP, ExpressionAttributeValues: MAP, Expected: EXPECTED }, { Attributes: MAP, ItemCollectionMetrics: METRICS }],
  query: ['Query', { KeyConditions: CONDITIONS, QueryFilter: CONDITIONS, ExclusiveStartKey: MAP, ExpressionAttributeValues: MAP }, { Items: each(MAP), LastEvaluatedKey: MAP }],
  scan: ['Scan', { ScanFilter: CONDITIONS, ExclusiveStartKey: MAP, ExpressionAttributeValues: MAP }, { Items: each(MAP), LastEvaluatedKey: MAP }],
  batchGet: ['BatchGetItem', { RequestItems: each({ Keys: each(MAP) }) }, { Responses: each(each(MAP)), UnprocessedKeys: each({ Keys: each(MAP) }) }],
  batchWrite: ['BatchWriteItem', { RequestItems: WRITES }, { UnprocessedItems: WRITES, ItemCollectionMetrics: each(each(METRICS)) }],
  transactGet: ['TransactGetItems', { TransactItems: each({ Get: { Key: MAP } }) }, { Responses: each({ Item: MAP }) }],
  transactWrite: [
    'TransactWriteItems',
    {
      TransactItems: each({
        ConditionCheck: { Key: MAP, ExpressionAttributeValues: MAP },
        Put: { Item: MAP, ExpressionAttributeValues: MAP },
        Delete: { Key: MAP, ExpressionAttributeValues: MAP },
        Update: { Key: MAP, ExpressionAttributeValues: MAP },
      }),
    },
    { ItemCollectionMetrics: each(each(METRICS)) },
  ],
};
function walk(value, node, convert) {
  if (value === undefined || value === null) return value;
  if (node === MAP || node === VALUE) return convert(value, node);
  if (typeof value !== 'object') return value;
  if ('*' in node) {
    if (Array.isArray(value)) return value.map((v) => walk(v, node['*'], convert));
    const out = {};
    for (const k of Object.keys(value)) out[k] = walk(value[k], node['*'], convert);
    return out;
  }
  const out = Object.assign({}, value);
  for (const key of Object.keys(node)) if (key in out) out[key] = walk(out[key], node[key], convert);
  return out;
}

function makeAWS() {
  const AWS = { config, Request, VERSION: '2.1692.0' };
  for (const name of Object.keys(services)) AWS[services[name].v2Name] = service(services[name]);
  const DynamoDB = AWS.DynamoDB;
  class DocumentClient {
    constructor(options) {
      this.options = Object.assign({}, options || {});
      this.service = this.options.service || new DynamoDB(this.options);
    }
    createSet(list, options) {
      return new DynamoDBSet(list, options);
    }
  }
  for (const [method, [operation, inputNodes, outputNodes]] of Object.entries(DOCUMENT_OPERATIONS)) {
    DocumentClient.prototype[method] = function (params, callback) {
      const options = { convertEmptyValues: !!this.options.convertEmptyValues, wrapNumbers: !!this.options.wrapNumbers };
      const translate = {
        input: (p) => walk(p, inputNodes, (v, kind) => (kind === MAP ? Converter.marshall(v, options) : Converter.input(v, options))),
        output: (o) => walk(o, outputNodes, (v, kind) => (kind === MAP ? Converter.unmarshall(v, options) : Converter.output(v, options))),
      };
      const svc = this.service;
      const params_ = Object.assign({}, svc.config && svc.config.params, this.options.params, params || {});
      const request = new Request(services.dynamodb, operation, params_, svc.config ? svc.config.region : config.region, translate);
      if (typeof callback === 'function') request.send(callback);
      return request;
    };
  }
  DynamoDB.DocumentClient = DocumentClient;
  DynamoDB.Converter = Converter;
  DynamoDB.NumberValue = NumberValue;
  return AWS;
}

module.exports = makeAWS();
