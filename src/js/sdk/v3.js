// The generic layer of the simulated AWS SDK for JavaScript v3: one factory makes a service's client module
// (`@aws-sdk/client-<service>`) from its definition in services.js: the client class, one command class per operation,
// the aggregated client (`new DynamoDB().putItem(input)`), the service's base exception and its modelled exceptions.
// Shapes follow the SDK's developer guide ("Error handling", "Metadata"): outputs start with `$metadata`
// {httpStatusCode, requestId, extendedRequestId, cfId, attempts, totalRetryDelay}; errors are instances of the
// exported classes with `name`, `message`, `$fault` and `$metadata` (and `__type` for awsJson services, copied from the
// error body as the SDK's decorateServiceException does). Retries are not simulated: attempts 1, totalRetryDelay 0.
'use strict';
const host = require('host');
const Buffer = host.Buffer;
const MAX_DEPTH = 64;

// ---- the JSON a call carries: blobs base64, timestamps epoch seconds (awsJson protocols) ----
function isBytes(v) {
  return v instanceof Uint8Array || v instanceof ArrayBuffer;
}
// Index loops and no intermediate copies: this runs on every call, and allocation drives the interpreter's GC.
function toWire(value, depth) {
  if (depth > MAX_DEPTH) throw new RangeError('not simulated: SDK input nested deeper than ' + MAX_DEPTH + ' levels');
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
  if (Array.isArray(value)) {
    const list = new Array(value.length);
    for (let i = 0; i < value.length; i++) list[i] = toWire(value[i], depth + 1);
    return list;
  }
  if (isBytes(value)) return Buffer.from(value instanceof ArrayBuffer ? new Uint8Array(value) : value).toString('base64');
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Set) return Array.from(value, (v) => toWire(v, depth + 1));
  if (typeof value.toAttributeValue === 'function' && typeof value.value === 'string') return value.value;
  const out = {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const v = value[keys[i]];
    if (v !== undefined && typeof v !== 'function') out[keys[i]] = toWire(v, depth + 1);
  }
  return out;
}
/// The input as the call's JSON: top-level blob members given as strings are their UTF-8 bytes.
function wireInput(def, input) {
  const wire = toWire(input, 0);
  for (let i = 0; i < def.blobs.length; i++) {
    const member = def.blobs[i];
    if (typeof input[member] === 'string') wire[member] = Buffer.from(input[member], 'utf8').toString('base64');
  }
  return wire;
}

// ---- outputs: DynamoDB AttributeValue blobs (B, BS), blob members, *DateTime timestamps ----
// The output is fresh from the bridge, so it is decoded in place.
function decodeAttributeValues(value, toBytes, depth) {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decodeAttributeValues(value[i], toBytes, depth + 1);
    return value;
  }
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'B' && typeof value.B === 'string') {
    value.B = toBytes(value.B);
    return value;
  }
  if (keys.length === 1 && keys[0] === 'BS' && Array.isArray(value.BS)) {
    value.BS = value.BS.map(toBytes);
    return value;
  }
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const v = value[key];
    // DynamoDB's JSON carries timestamps (CreationDateTime, ...) as epoch seconds; the SDKs give Dates.
    if (typeof v === 'number') {
      if (key.endsWith('DateTime')) value[key] = new Date(v * 1000);
    } else if (v !== null && typeof v === 'object') {
      decodeAttributeValues(v, toBytes, depth + 1);
    }
  }
  return value;
}
/// Epoch-seconds members named in `def.timestamps` become Dates, at any depth (S3's Contents[].LastModified).
function decodeTimestamps(value, names, depth) {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) decodeTimestamps(value[i], names, depth + 1);
    return;
  }
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const v = value[keys[i]];
    if (typeof v === 'number' && names.includes(keys[i])) value[keys[i]] = new Date(v * 1000);
    else if (v !== null && typeof v === 'object') decodeTimestamps(v, names, depth + 1);
  }
}
function decodeOutput(def, output, toBytes) {
  const out = output === null || typeof output !== 'object' ? {} : output;
  if (def.attributeValues) decodeAttributeValues(out, toBytes, 0);
  if (def.timestamps) decodeTimestamps(out, def.timestamps, 0);
  for (let i = 0; i < def.blobs.length; i++) {
    const member = def.blobs[i];
    if (typeof out[member] === 'string') out[member] = toBytes(out[member]);
  }
  return out;
}
/// v3's Uint8ArrayBlobAdapter (Lambda `Invoke`'s `Payload`): the bytes, plus transformToString(encoding).
function blobAdapter(out, member) {
  const bytes = out[member];
  if (!(bytes instanceof Uint8Array)) return;
  Object.defineProperty(bytes, 'transformToString', {
    value: (encoding) => Buffer.from(bytes).toString(encoding || 'utf8'),
    enumerable: false,
  });
}
function v3Bytes(text) {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
/// A streaming body as v3 gives it (sdkStreamMixin): the bytes, read once with transformToString(encoding) or
/// transformToByteArray(); a second read rejects as the SDK's does ("The stream has already been transformed.").
/// Piping it as a Node stream is not simulated.
function streamBody(bytes) {
  const body = bytes instanceof Uint8Array ? bytes : new Uint8Array(0);
  let used = false;
  const take = () => {
    if (used) return Promise.reject(new Error('The stream has already been transformed.'));
    used = true;
    return null;
  };
  return {
    transformToString(encoding) {
      return take() || Promise.resolve(Buffer.from(body).toString(encoding || 'utf8'));
    },
    transformToByteArray() {
      return take() || Promise.resolve(body);
    },
    transformToWebStream() {
      throw new Error('not simulated: transformToWebStream (use transformToString or transformToByteArray)');
    },
    pipe() {
      throw new Error('not simulated: piping an S3 Body stream (use transformToString or transformToByteArray)');
    },
  };
}

// ---- the call ----
function region() {
  return (typeof process === 'object' && process.env && process.env.AWS_REGION) || 'us-east-1';
}
function notSimulatedRegion(configured) {
  return { code: 'NotSimulated', message: 'not simulated: calls to region ' + configured + ' (the simulated account is in ' + region() + ')', statusCode: 501, fault: 'server' };
}
/// Sends one operation; resolves `{requestId, output}` or `{requestId, error: {code, message, statusCode, fault}}`.
function send(def, operation, input, configuredRegion) {
  if (configuredRegion !== undefined && configuredRegion !== region()) {
    return Promise.resolve({ requestId: '', error: notSimulatedRegion(configuredRegion) });
  }
  let wire;
  try {
    wire = wireInput(def, input === undefined || input === null ? {} : input);
  } catch (e) {
    return Promise.reject(e);
  }
  return host.call(def.signingName, operation, wire);
}
function metadata(answer, status) {
  return {
    httpStatusCode: status,
    requestId: answer.requestId,
    extendedRequestId: undefined,
    cfId: undefined,
    attempts: 1,
    totalRetryDelay: 0,
  };
}
function errorName(def, code) {
  return def.aliases[code] || code;
}

// ---- exceptions ----
/// Smithy's ServiceException: an Error whose own properties are name, $fault, $metadata.
class ServiceException extends Error {
  constructor(options) {
    super(options.message);
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = options.name;
    this.$fault = options.$fault;
    this.$metadata = options.$metadata;
  }
}
function named(name, make) {
  // The SDK's classes carry their names (`e.constructor.name`, inspect output).
  const C = make();
  Object.defineProperty(C, 'name', { value: name, configurable: true });
  return C;
}
/// Defines `exports[name]` as made by `make` the first time it is read: a client module has a hundred classes and
/// a handler uses a few, so creating them on demand keeps the first `require` short. The accessor stays (and
/// returns the same class): turning it into a data property from inside the getter trips Boa's inline caches.
function lazy(exports, name, make) {
  let value;
  Object.defineProperty(exports, name, {
    get() {
      if (value === undefined) value = named(name, make);
      return value;
    },
    set(v) {
      value = v;
    },
    enumerable: true,
    configurable: true,
  });
}
function exceptionClasses(def) {
  const base = def.clientName + 'ServiceException';
  const classes = {};
  lazy(classes, base, () => class extends ServiceException {});
  for (const name of def.errors) {
    lazy(classes, name, () => class extends classes[base] {
      constructor(options) {
        super(Object.assign({}, options, { name }));
      }
    });
  }
  return classes;
}
function toException(def, classes, answer) {
  const error = answer.error;
  const name = errorName(def, error.code);
  const $metadata = metadata(answer, error.statusCode);
  const Class = (Object.prototype.hasOwnProperty.call(classes, name) && classes[name]) || classes[def.clientName + 'ServiceException'];
  const e = new Class({ name, message: error.message, $fault: error.fault, $metadata });
  if (def.errorNamespace) e.__type = def.errorNamespace + error.code;
  return e;
}

// ---- clients and commands ----
const notSimulatedStack = {
  add() {
    throw new Error('not simulated: middlewareStack (custom middleware)');
  },
  addRelativeTo() {
    throw new Error('not simulated: middlewareStack (custom middleware)');
  },
  use() {
    throw new Error('not simulated: middlewareStack (plugins)');
  },
};
function lowerFirst(s) {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/// The module `@aws-sdk/client-<service>` for a definition of services.js.
function client(def) {
  const exports = exceptionClasses(def);
  class Command {
    constructor(input) {
      this.input = input;
      this.middlewareStack = notSimulatedStack;
    }
  }
  const clientName = def.clientName + 'Client';
  const Client = named(clientName, () => class {
    constructor(config) {
      this.config = Object.assign({ region: region() }, config || {});
      this.middlewareStack = notSimulatedStack;
    }
    send(command, optionsOrCallback, callback) {
      const cb = typeof optionsOrCallback === 'function' ? optionsOrCallback : callback;
      const promise = this.__send(command);
      if (typeof cb === 'function') {
        promise.then((r) => cb(null, r), (e) => cb(e));
        return undefined;
      }
      return promise;
    }
    __send(command) {
      if (!(command instanceof Command)) {
        if (command && typeof command.__sendThrough === 'function') return command.__sendThrough(this);
        return Promise.reject(new TypeError('not simulated: sending ' + String(command && command.constructor && command.constructor.name) + ' with ' + clientName));
      }
      const operation = command.constructor.__operation;
      return send(def, operation, command.input, this.config.region).then((answer) => {
        if (answer.error) throw toException(def, exports, answer);
        const partial = def.partialContent && def.partialContent[operation];
        const ranged = partial && answer.output && answer.output[partial] !== undefined;
        const status = ranged ? 206 : (def.status && def.status[operation]) || 200;
        const out = decodeOutput(def, answer.output, v3Bytes);
        if (def.streamingBody && def.streamingBody[operation]) out.Body = streamBody(out.Body);
        if (def.blobAdapters && def.blobAdapters[operation]) blobAdapter(out, def.blobAdapters[operation]);
        return Object.assign({ $metadata: metadata(answer, status) }, out);
      });
    }
    destroy() {}
  });
  exports[clientName] = Client;
  const Aggregated = named(def.clientName, () => class extends Client {});
  for (const operation of def.operations) {
    const name = operation + 'Command';
    lazy(exports, name, () => {
      const C = class extends Command {};
      C.__operation = operation;
      return C;
    });
    Aggregated.prototype[lowerFirst(operation)] = function (input, optionsOrCallback, callback) {
      return this.send(new exports[name](input), optionsOrCallback, callback);
    };
  }
  exports[def.clientName] = Aggregated;
  for (const operation of Object.keys(def.paginators || {})) {
    exports['paginate' + operation] = paginator(exports[operation + 'Command'], def.paginators[operation]);
  }
  return exports;
}

/// `paginateX({client, pageSize, startingToken}, input)`: an async iterator over the pages of operation X, following
/// the output's token into the next input until it is absent (v3 "Paginators").
function paginator(Command, tokens) {
  return function (config, input) {
    const inputToken = tokens[0];
    const outputToken = tokens[1];
    return (async function* () {
      let token = config.startingToken;
      do {
        const next = Object.assign({}, input);
        if (token !== undefined) next[inputToken] = token;
        if (config.pageSize !== undefined) next.Limit = config.pageSize;
        const page = await config.client.send(new Command(next));
        yield page;
        token = page[outputToken];
      } while (token !== undefined);
    })();
  };
}

exports.client = client;
exports.paginator = paginator;
exports.send = send;
exports.decodeOutput = decodeOutput;
exports.errorName = errorName;
exports.ServiceException = ServiceException;
