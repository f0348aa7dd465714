// The Node.js Lambda runtime, as far as it is written in JavaScript: console, util.format, CommonJS modules,
// handler resolution (RIC src/UserFunction.js) and the invoke contract (RIC src/Runtime.js, CallbackContext.js,
// Errors.js). Natives come from Rust on `__host`: log(level, text), read(path), compile(path, source).
// Everything here is installed before user code runs; `__lambda` is removed from the global object and handed to
// Rust as this script's completion value.
(function (host) {
  'use strict';
  const TASK_ROOT = '/var/task';
  const RUNTIME_STACK = '- /var/runtime/index.mjs';
  // Captured before user code runs, so a handler that replaces JSON cannot break the runtime's own serialisation.
  const jsonStringify = JSON.stringify.bind(JSON);
  const jsonParse = JSON.parse.bind(JSON);

  // ---- V8's longest string ----
  // Node throws `RangeError: Invalid string length` for a string longer than V8's String::kMaxLength (2**29 - 24 on
  // 64-bit). Boa's limit is 2**32 - 1 and it tries the allocation, which in the browser's 32-bit WebAssembly can
  // fail below any JavaScript error and stop the page, so the builtins that make one long string from a count are
  // checked first. (A string doubled by `+` in a loop is not: that is the memory limit's and the budget's.)
  const MAX_STRING_LENGTH = 2 ** 29 - 24;
  function guardLength(name, length) {
    const original = String.prototype[name];
    const guarded = {
      [name](count, ...rest) {
        if (this === null || this === undefined) return original.call(this, count, ...rest);
        const text = String(this);
        const n = Number(count);
        const wanted = name === 'repeat' ? text.length * Math.trunc(n) : Math.trunc(n);
        if (wanted > MAX_STRING_LENGTH && n !== Infinity && (name === 'repeat' || rest[0] !== '')) {
          throw new RangeError('Invalid string length');
        }
        return original.call(text, n, ...rest);
      },
    }[name];
    Object.defineProperty(guarded, 'length', { value: length });
    Object.defineProperty(String.prototype, name, { value: guarded, writable: true, enumerable: false, configurable: true });
  }
  guardLength('repeat', 1);
  guardLength('padStart', 1);
  guardLength('padEnd', 1);

  // ---- util.inspect / util.format (Node's single-line forms) ----
  const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
  // Regular expressions used on hot paths are compiled once (Boa compiles a literal each time it is evaluated).
  const BACKSLASH = /\\/g;
  const APOSTROPHE = /'/g;
  const NEWLINE = /\n/g;
  const NEEDS_ESCAPE = /[\\'\n]/;
  function quote(s) {
    const text = String(s);
    if (!NEEDS_ESCAPE.test(text)) return "'" + text + "'";
    return "'" + text.replace(BACKSLASH, '\\\\').replace(APOSTROPHE, "\\'").replace(NEWLINE, '\\n') + "'";
  }
  function errorStack(e) {
    const name = e && e.name !== undefined ? String(e.name) : 'Error';
    const message = e && e.message !== undefined ? String(e.message) : '';
    const head = message === '' ? name : name + ': ' + message;
    let frames = '';
    try {
      frames = typeof e.stack === 'string' ? e.stack : '';
    } catch (_) {
      frames = '';
    }
    // Boa's `stack` holds only the frames; V8's starts with `Name: message` (lambda-facts 1.3 / 10.6).
    if (frames.startsWith(head)) {
      return frames;
    }
    const lines = frames.split('\n').filter((l) => l.trim() !== '' && !l.includes('(unknown at '));
    return [head].concat(lines.map((l) => (l.startsWith('    ') ? l : '    ' + l.trim()))).join('\n');
  }
  function inspect(v, depth, seen) {
    if (depth === undefined) depth = 0;
    if (seen === undefined) seen = [];
    switch (typeof v) {
      case 'string':
        return depth === 0 ? v : quote(v);
      case 'undefined':
        return 'undefined';
      case 'number':
        return Object.is(v, -0) ? '-0' : String(v);
      case 'bigint':
        return String(v) + 'n';
      case 'boolean':
        return String(v);
      case 'symbol':
        return v.toString();
      case 'function': {
        const src = Function.prototype.toString.call(v);
        if (src.startsWith('class')) return '[class ' + (v.name || '(anonymous)') + ']';
        return v.name ? '[Function: ' + v.name + ']' : '[Function (anonymous)]';
      }
    }
    if (v === null) return 'null';
    if (seen.includes(v)) return '[Circular *1]';
    if (v instanceof Error) return depth === 0 ? errorStack(v) : '[' + errorStack(v) + ']';
    if (BufferClass !== undefined && v instanceof BufferClass) {
      const hex = Array.from(v.subarray(0, 50), (b) => (b < 16 ? '0' : '') + b.toString(16));
      return '<Buffer' + (hex.length ? ' ' + hex.join(' ') : '') + (v.length > 50 ? ' ... ' + (v.length - 50) + ' more bytes' : '') + '>';
    }
    if (v instanceof Date) return isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
    if (v instanceof RegExp) return String(v);
    if (depth > 2) return Array.isArray(v) ? '[Array]' : '[Object]';
    const inner = seen.concat([v]);
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return '[ ' + v.map((x) => inspect(x, depth + 1, inner)).join(', ') + ' ]';
    }
    if (v instanceof Map) {
      const parts = [];
      v.forEach((val, key) => parts.push(inspect(key, depth + 1, inner) + ' => ' + inspect(val, depth + 1, inner)));
      return 'Map(' + v.size + ') {' + (parts.length ? ' ' + parts.join(', ') + ' ' : '') + '}';
    }
    if (v instanceof Set) {
      const parts = [];
      v.forEach((val) => parts.push(inspect(val, depth + 1, inner)));
      return 'Set(' + v.size + ') {' + (parts.length ? ' ' + parts.join(', ') + ' ' : '') + '}';
    }
    if (typeof v.then === 'function' && v instanceof Promise) return 'Promise { <pending> }';
    const keys = Object.keys(v);
    const proto = Object.getPrototypeOf(v);
    let prefix = '';
    if (proto === null) prefix = '[Object: null prototype] ';
    else if (proto !== Object.prototype && proto.constructor && proto.constructor.name) {
      prefix = proto.constructor.name + ' ';
    }
    if (keys.length === 0) return prefix + '{}';
    const parts = keys.map((k) => (IDENT.test(k) ? k : quote(k)) + ': ' + inspect(v[k], depth + 1, inner));
    return prefix + '{ ' + parts.join(', ') + ' }';
  }
  function format(...args) {
    if (args.length === 0) return '';
    let out = '';
    let rest = args;
    if (typeof args[0] === 'string') {
      const fmt = args[0];
      let i = 1;
      let last = 0;
      for (let p = 0; p < fmt.length - 1; p++) {
        if (fmt[p] !== '%') continue;
        const c = fmt[p + 1];
        let rep;
        if (c === '%') {
          rep = '%';
        } else if (i < args.length && 'sdifjoOc'.includes(c)) {
          const a = args[i++];
          if (c === 's') rep = typeof a === 'string' ? a : typeof a === 'object' && a !== null ? inspect(a, 1) : inspect(a);
          else if (c === 'd' || c === 'i') rep = typeof a === 'object' ? 'NaN' : String(c === 'i' ? parseInt(a) : Number(a));
          else if (c === 'f') rep = String(parseFloat(a));
          else if (c === 'j') {
            try {
              rep = jsonStringify(a);
            } catch (_) {
              rep = '[Circular]';
            }
          } else if (c === 'c') rep = '';
          else rep = inspect(a, 1);
        } else {
          continue;
        }
        out += fmt.slice(last, p) + rep;
        last = p + 2;
        p++;
      }
      out += fmt.slice(last);
      rest = args.slice(i);
      for (const a of rest) out += ' ' + inspect(a);
      return out;
    }
    return args.map((a) => inspect(a)).join(' ');
  }

  const levels = { log: 'INFO', info: 'INFO', debug: 'DEBUG', warn: 'WARN', error: 'ERROR', trace: 'TRACE', fatal: 'FATAL' };
  const console = {};
  for (const name of Object.keys(levels)) {
    const level = levels[name];
    // `apply`, not a spread: spreading runs the iterator protocol, slow in the interpreter.
    console[name] = function (...args) {
      host.log(level, format.apply(undefined, args));
    };
  }
  globalThis.console = console;
  // JSON logs (AWS_LAMBDA_LOG_FORMAT=JSON, RIC LogPatch.js): the console writes the record's fields after the
  // timestamp/level/requestId the host adds (src/lambda/logging.rs): one argument is embedded as JSON (errors as
  // errorType/errorMessage/stackTrace), several are util.format-ted and the first Error among the rest adds the
  // error fields. Methods below AWS_LAMBDA_LOG_LEVEL do nothing.
  const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
  function errorFields(e) {
    return {
      errorType: (e && e.constructor && e.constructor.name) || 'UnknownError',
      errorMessage: e.message,
      // Node's stack text (`Name: message` then the frames); Boa's `stack` holds only the frames.
      stackTrace: typeof e.stack === 'string' ? errorStack(e).split('\n') : [],
    };
  }
  function jsonErrorReplacer(_key, value) {
    return value instanceof Error ? Object.assign(errorFields(value), value) : value;
  }
  function jsonFields(args) {
    if (args.length <= 1) {
      try {
        return jsonStringify({ message: args[0] }, jsonErrorReplacer);
      } catch (_) {
        return jsonStringify({ message: format(args[0]) });
      }
    }
    const fields = { message: format.apply(undefined, args) };
    for (let i = 1; i < args.length; i++) {
      if (args[i] instanceof Error) {
        Object.assign(fields, errorFields(args[i]));
        break;
      }
    }
    return jsonStringify(fields);
  }
  function configureConsole(vars) {
    if (vars.AWS_LAMBDA_LOG_FORMAT !== 'JSON') return;
    const min = Math.max(0, LOG_LEVELS.indexOf(vars.AWS_LAMBDA_LOG_LEVEL || 'INFO'));
    for (const name of Object.keys(levels)) {
      const level = levels[name];
      console[name] =
        LOG_LEVELS.indexOf(level) < min
          ? function () {}
          : function (...args) {
              host.log(level, jsonFields(args));
            };
    }
  }


  // ---- internal modules evaluated on first use (src/js/*.js, src/js/sdk/*.js), so a cold start does not parse them ----
  const internalModules = Object.create(null);
  function internal(name, require) {
    if (name in internalModules) return internalModules[name];
    const source = host.source(name);
    if (typeof source !== 'string') throw new Error('internal error in the runtime: no module ' + name);
    const module = { exports: {} };
    const wrapper = host.compile('/var/runtime/' + name + '.js', source);
    wrapper.call(module.exports, module.exports, require, module);
    internalModules[name] = module.exports;
    return module.exports;
  }
  // `Buffer` is an accessor that evaluates buffer.js on first use and then returns it (or what code assigns). It
  // stays an accessor: redefining it as a data property from inside its getter trips Boa's inline caches.
  let BufferClass;
  let globalBuffer;
  function loadBuffer() {
    if (BufferClass === undefined) {
      BufferClass = internal('buffer', undefined);
      if (globalBuffer === undefined) globalBuffer = BufferClass;
    }
    return BufferClass;
  }
  Object.defineProperty(globalThis, 'Buffer', {
    get: () => (globalBuffer === undefined ? loadBuffer() : globalBuffer),
    set: (value) => {
      globalBuffer = value;
    },
    configurable: true,
    enumerable: false,
  });

  // ---- errors (RIC Errors.js) ----
  function isErrorLike(e) {
    return (
      e instanceof Error ||
      (e !== null &&
        typeof e === 'object' &&
        typeof e.name === 'string' &&
        typeof e.message === 'string' &&
        typeof e.stack === 'string')
    );
  }
  function toRapidResponse(e) {
    try {
      if (isErrorLike(e)) {
        return {
          errorType: e.name,
          errorMessage: e.message,
          trace: errorStack(e).replace(/\x7F/g, '%7F').split('\n'),
        };
      }
      return { errorType: typeof e, errorMessage: e.toString(), trace: [] };
    } catch (_) {
      return {
        errorType: 'handled',
        errorMessage:
          'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      };
    }
  }
  function toFormatted(e) {
    const error = e instanceof Error ? e : new Error(e);
    try {
      return (
        '\t' +
        jsonStringify(error, (_k, v) => {
          if (v instanceof Error) {
            const ret = Object.assign({ errorType: v.name, errorMessage: v.message, code: v.code }, v);
            ret.stack = errorStack(v).split('\n');
            return ret;
          }
          return v;
        })
      );
    } catch (_) {
      return '\t' + jsonStringify(toRapidResponse(error));
    }
  }
  function runtimeError(type, message) {
    const e = new Error(message);
    e.name = type;
    return e;
  }

  // ---- CommonJS modules ----
  function normalize(path) {
    const out = [];
    for (const part of path.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') out.pop();
      else out.push(part);
    }
    return '/' + out.join('/');
  }
  function dirname(path) {
    const i = path.lastIndexOf('/');
    return i <= 0 ? '/' : path.slice(0, i);
  }
  function exists(path) {
    return typeof host.read(path) === 'string';
  }
  function asFile(p) {
    for (const c of [p, p + '.js', p + '.json', p + '.cjs']) if (exists(c)) return c;
    const pkg = host.read(p + '/package.json');
    if (typeof pkg === 'string') {
      try {
        const main = jsonParse(pkg).main;
        if (typeof main === 'string') {
          const m = normalize(p + '/' + main);
          for (const c of [m, m + '.js', m + '.json', m + '/index.js']) if (exists(c)) return c;
        }
      } catch (_) {
        // An unreadable package.json falls back to index.js, as Node does.
      }
    }
    for (const c of [p + '/index.js', p + '/index.json', p + '/index.cjs']) if (exists(c)) return c;
    return undefined;
  }
  const NODE_BUILTINS = [
    'assert', 'buffer', 'child_process', 'crypto', 'dns', 'events', 'fs', 'http', 'https', 'net', 'os', 'path',
    'querystring', 'stream', 'string_decoder', 'timers', 'timers/promises', 'tls', 'url', 'util', 'zlib',
  ];
  const cache = Object.create(null);
  function notFound(request, stack) {
    const e = new Error("Cannot find module '" + request + "'\nRequire stack:\n" + stack.map((s) => '- ' + s).join('\n'));
    e.code = 'MODULE_NOT_FOUND';
    e.requireStack = stack;
    return e;
  }
  function resolve(request, parent) {
    const from = parent ? dirname(parent.filename) : TASK_ROOT;
    if (request.startsWith('./') || request.startsWith('../') || request.startsWith('/') || request === '.' || request === '..') {
      const file = asFile(request.startsWith('/') ? normalize(request) : normalize(from + '/' + request));
      if (file) return file;
    } else {
      let dir = from;
      for (;;) {
        if (!dir.endsWith('/node_modules')) {
          const file = asFile(normalize(dir + '/node_modules/' + request));
          if (file) return file;
        }
        if (dir === '/') break;
        dir = dirname(dir);
      }
    }
    const stack = [];
    for (let m = parent; m; m = m.parent) stack.push(m.filename);
    stack.push('/var/runtime/index.mjs');
    throw notFound(request, stack);
  }
  // The SDK the runtime bundles: v2 `aws-sdk` up to nodejs16.x, v3 `@aws-sdk/*` from nodejs18.x (lambda-facts §7).
  // Its modules (src/js/sdk/) are evaluated the first time a handler requires one, so cold starts that do not use
  // the SDK pay nothing for them. Packages of the bundle that are not simulated are loud.
  let runtimeName = 'nodejs20.x';
  const SDK_ROOT = '/var/runtime/node_modules/';
  const V3_CLIENTS = {
    '@aws-sdk/client-dynamodb': 'dynamodb',
    '@aws-sdk/client-s3': 's3',
    '@aws-sdk/client-sns': 'sns',
    '@aws-sdk/client-sqs': 'sqs',
    '@aws-sdk/client-lambda': 'lambda',
    '@aws-sdk/client-cloudwatch-logs': 'logs',
  };
  const V2_CLIENTS = { dynamodb: 'DynamoDB', s3: 'S3', sns: 'SNS', sqs: 'SQS', lambda: 'Lambda', cloudwatchlogs: 'CloudWatchLogs' };
  const sdkHost = {
    call: (service, operation, input) => host.sdkCall(service, operation, jsonStringify(input)),
    get Buffer() {
      return loadBuffer();
    },
  };
  const sdkExports = Object.create(null);
  function sdkRequire(name) {
    if (name === 'host') return sdkHost;
    if (name.startsWith('@aws-sdk/')) return sdkModule(name);
    return internal('sdk/' + name, sdkRequire);
  }
  function bundledSdk(request) {
    const v2 = runtimeName === 'nodejs16.x';
    return v2 ? request === 'aws-sdk' || request.startsWith('aws-sdk/') : request.startsWith('@aws-sdk/');
  }
  function sdkModule(request) {
    if (request in sdkExports) return sdkExports[request];
    let exports;
    if (request in V3_CLIENTS) exports = sdkRequire('v3').client(sdkRequire('services')[V3_CLIENTS[request]]);
    else if (request === '@aws-sdk/lib-dynamodb') exports = sdkRequire('lib-dynamodb');
    else if (request === '@aws-sdk/util-dynamodb') exports = sdkRequire('util-dynamodb');
    else if (request === 'aws-sdk' || request === 'aws-sdk/global') exports = sdkRequire('v2');
    else if (request.startsWith('aws-sdk/clients/') && request.slice(16) in V2_CLIENTS) {
      exports = sdkRequire('v2')[V2_CLIENTS[request.slice(16)]];
    } else {
      throw new Error("not simulated: the AWS SDK module '" + request + "' (simulated: " + Object.keys(V3_CLIENTS).concat(['@aws-sdk/lib-dynamodb', '@aws-sdk/util-dynamodb', 'aws-sdk']).join(', ') + ')');
    }
    sdkExports[request] = exports;
    return exports;
  }
  // Node's built-in modules (src/js/<name>.js), evaluated on first require; what they require in turn is
  // `nodeRequire`: other built-ins, plus the prelude's internals ('host', 'internal/console', 'internal/encoding').
  const SIMULATED_BUILTINS = ['buffer', 'crypto', 'events', 'path', 'querystring', 'timers', 'timers/promises', 'url', 'util'];
  const builtinHost = { digest: (algorithm, key, data) => host.digest(algorithm, key, data) };
  function nodeRequire(name) {
    if (name === 'host') return builtinHost;
    if (name === 'internal/console') return { format, inspect };
    if (name === 'internal/encoding') return internal('encoding', nodeRequire);
    if (name === 'buffer') return loadBuffer();
    return builtin(name);
  }
  function builtin(name) {
    if (name === 'buffer') return { Buffer: loadBuffer() };
    if (name === 'timers/promises') return internal('timers', nodeRequire).promises;
    if (name === 'util') {
      const util = internal('util', nodeRequire);
      // util.inspect quotes a top-level string (console.log does not), otherwise the console's rendering.
      if (!util.inspectWrapped) {
        util.inspect = (v) => (typeof v === 'string' ? inspect(v, 1) : inspect(v, 0));
        Object.defineProperty(util, 'inspectWrapped', { value: true });
      }
      return util;
    }
    if (SIMULATED_BUILTINS.includes(name)) return internal(name, nodeRequire);
    throw new Error('not simulated: the Node.js module \'' + name + '\'');
  }
  function load(file, parent) {
    const cached = cache[file];
    if (cached) return cached.exports;
    const module = { id: file, filename: file, path: dirname(file), loaded: false, exports: {}, children: [], parent };
    module.require = makeRequire(module);
    cache[file] = module;
    try {
      const source = host.read(file);
      if (file.endsWith('.json')) {
        try {
          module.exports = jsonParse(source);
        } catch (e) {
          e.message = file + ': ' + e.message;
          throw e;
        }
      } else if (file.endsWith('.mjs')) {
        throw new Error('not simulated: ES modules (' + file + ')');
      } else {
        const wrapper = host.compile(file, source);
        wrapper.call(module.exports, module.exports, module.require, module, file, dirname(file));
      }
    } catch (e) {
      delete cache[file];
      throw e;
    }
    module.loaded = true;
    if (parent) parent.children.push(module);
    return module.exports;
  }
  function makeRequire(module) {
    const require = function (request) {
      if (typeof request !== 'string') {
        throw new TypeError('The "id" argument must be of type string. Received ' + inspect(request, 1));
      }
      const bare = request.startsWith('node:') ? request.slice(5) : request;
      if (NODE_BUILTINS.includes(bare)) return builtin(bare);
      if (bundledSdk(request)) return sdkModule(request);
      return load(resolve(request, module), module);
    };
    require.resolve = (request) => resolve(request, module);
    require.cache = cache;
    return require;
  }
  // No global `require`: CommonJS files get theirs from the module wrapper, and ES modules have none, as in Node
  // (`typeof require` is "undefined" there; calling it is a ReferenceError).

  // ---- handler resolution (RIC UserFunction.js) ----
  function packageType(dir) {
    for (let d = dir; ; d = dirname(d)) {
      if (d.endsWith('/node_modules')) return undefined;
      const pkg = host.read(d + '/package.json');
      if (typeof pkg === 'string') {
        try {
          return jsonParse(pkg).type;
        } catch (_) {
          return undefined;
        }
      }
      if (d === '/') return undefined;
    }
  }
  function loadHandler(fullHandler, runtime) {
    runtimeName = runtime;
    if (fullHandler.includes('..')) {
      throw runtimeError(
        'Runtime.MalformedHandlerName',
        "'" + fullHandler + "' is not a valid handler name. Use absolute paths when specifying root directories in handler names."
      );
    }
    const slash = fullHandler.lastIndexOf('/');
    const root = slash >= 0 ? fullHandler.slice(0, slash + 1) : '';
    const base = slash >= 0 ? fullHandler.slice(slash + 1) : fullHandler;
    const match = /^([^.]*)\.(.*)$/.exec(base);
    if (!match) throw runtimeError('Runtime.MalformedHandlerName', 'Bad handler');
    const moduleName = match[1];
    const path = match[2];
    const dir = normalize(TASK_ROOT + '/' + root);
    const stem = normalize(dir + '/' + moduleName);
    let file;
    let esm = false;
    if (exists(stem)) file = stem;
    else if (exists(stem + '.js')) {
      esm = packageType(dir) === 'module';
      file = stem + '.js';
    } else if (exists(stem + '.mjs')) {
      esm = true;
      file = stem + '.mjs';
    } else if (exists(stem + '.cjs')) file = stem + '.cjs';
    else {
      try {
        file = resolve(moduleName, { filename: dir + '/x', parent: undefined });
      } catch (_) {
        file = undefined;
      }
    }
    if (file === undefined) {
      throw runtimeError('Runtime.ImportModuleError', "Error: Cannot find module '" + moduleName + "'\nRequire stack:\n" + RUNTIME_STACK);
    }
    let exported;
    try {
      exported = esm ? host.importEsm(file) : load(file, undefined);
    } catch (e) {
      if (e instanceof SyntaxError) throw runtimeError('Runtime.UserCodeSyntaxError', String(e));
      // CommonJS and ES module resolution failures alike (`Runtime.ImportModuleError: Error: Cannot find package
      // 'aws-sdk' imported from /var/task/index.mjs`, the error AWS reports for ES handlers on nodejs18.x+).
      if (e && (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_MODULE_NOT_FOUND')) {
        throw runtimeError('Runtime.ImportModuleError', String(e));
      }
      throw e;
    }
    const handler = path.split('.').reduce((o, k) => o && o[k], exported);
    if (!handler) throw runtimeError('Runtime.HandlerNotFound', fullHandler + ' is undefined or not exported');
    if (typeof handler !== 'function') throw runtimeError('Runtime.HandlerNotFound', fullHandler + ' is not a function');
    const isAsync = handler.constructor && handler.constructor.name === 'AsyncFunction';
    if (runtime === 'nodejs24.x' && handler.length >= 3 && !isAsync) {
      throw runtimeError(
        'Runtime.CallbackHandlerDeprecated',
        'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.'
      );
    }
    return handler;
  }

  // ---- the invoke contract (RIC Runtime.js handleOnceNonStreaming, CallbackContext.js) ----
  // state: 0 running, 1 reported (respond now), 2 reported by callback(null, r): respond when the loop drains.
  let current = null;
  function report(st, error, result, waitForLoop) {
    if (st.state !== 0) return;
    if (error !== undefined && error !== null) {
      console.error('Invoke Error', toFormatted(error));
      st.failed = true;
      st.payload = jsonStringify(toRapidResponse(error));
      st.state = 1;
      return;
    }
    let text;
    try {
      text = jsonStringify(result === undefined ? null : result);
    } catch (_) {
      text = undefined;
    }
    if (text === undefined && result !== undefined) {
      const e = new Error('Unable to stringify response body');
      console.error('Invoke Error', toFormatted(e));
      st.failed = true;
      st.payload = jsonStringify(toRapidResponse(e));
    } else {
      st.failed = false;
      st.payload = text === undefined ? 'null' : text;
    }
    st.state = waitForLoop ? 2 : 1;
  }
  // `parsed` is the event already parsed by the host (undefined when it could not build it exactly).
  function invoke(handler, eventText, info, parsed) {
    const st = { state: 0, failed: false, payload: 'null', isAsync: false };
    current = st;
    st.isAsync = handler.constructor && handler.constructor.name === 'AsyncFunction';
    let waits = true;
    const legacy = info.runtime !== 'nodejs24.x';
    const context = {
      functionName: info.functionName,
      functionVersion: info.functionVersion,
      invokedFunctionArn: info.invokedFunctionArn,
      memoryLimitInMB: info.memoryLimitInMB,
      awsRequestId: info.awsRequestId,
      logGroupName: info.logGroupName,
      logStreamName: info.logStreamName,
      identity: undefined,
      clientContext: undefined,
      getRemainingTimeInMillis: () => Math.max(info.deadlineMs - Date.now(), 0),
    };
    if (legacy) {
      Object.defineProperty(context, 'callbackWaitsForEmptyEventLoop', {
        get: () => waits,
        set: (v) => {
          waits = v;
        },
        enumerable: true,
      });
      const done = (err, result) => report(st, err, result, false);
      context.done = done;
      context.succeed = (result) => done(null, result);
      context.fail = (err) => done(err === undefined || err === null ? 'handled' : err, null);
    }
    const callback = (err, result) => report(st, err, result, err === undefined || err === null ? waits : false);
    process.env._X_AMZN_TRACE_ID = info.traceId;
    let event;
    try {
      event = parsed === undefined ? jsonParse(eventText) : parsed;
    } catch (e) {
      report(st, e, undefined, false);
      return;
    }
    let result;
    try {
      result = handler(event, context, callback);
    } catch (e) {
      report(st, e, undefined, false);
      return;
    }
    if (result && typeof result.then === 'function') {
      result.then(
        (r) => report(st, null, r, false),
        (e) => report(st, e === undefined || e === null ? 'handled' : e, undefined, false)
      );
    }
  }
  function uncaught(e) {
    const st = current || { state: 0 };
    console.error('Uncaught Exception', toFormatted(e));
    st.state = 0;
    report(st, e, undefined, false);
    return st.payload;
  }
  // RIC Runtime.js: `unhandledRejection` posts Runtime.UnhandledPromiseRejection, then the process exits (128).
  function unhandledRejection(reason) {
    const st = current || { state: 0 };
    let text;
    try {
      text = String(reason);
    } catch (_) {
      text = typeof reason;
    }
    const error = runtimeError('Runtime.UnhandledPromiseRejection', text);
    error.reason = reason;
    console.error('Unhandled Promise Rejection', toFormatted(error));
    st.state = 0;
    st.failed = true;
    st.payload = jsonStringify(toRapidResponse(error));
    st.state = 1;
    return st.payload;
  }
  function initError(e) {
    console.error('Uncaught Exception', toFormatted(e));
    const r = toRapidResponse(e);
    return [r.errorType, jsonStringify(r)];
  }

  const env = {};
  globalThis.process = {
    env,
    argv: ['/var/lang/bin/node', '/var/runtime/index.mjs'],
    platform: 'linux',
    version: 'v20.0.0',
    versions: {},
    nextTick: (fn, ...args) => queueMicrotask(() => fn(...args)),
    cwd: () => TASK_ROOT,
    exit: (code) => host.exit(code),
  };
  globalThis.global = globalThis;
  // Node 20's globals backed by built-in modules, evaluated on first touch (like Buffer): crypto (Web Crypto's
  // getRandomValues / randomUUID), TextEncoder, TextDecoder, URL, URLSearchParams.
  function lazyGlobal(name, load) {
    let value;
    let loaded = false;
    Object.defineProperty(globalThis, name, {
      get: () => {
        if (!loaded) {
          value = load();
          loaded = true;
        }
        return value;
      },
      set: (v) => {
        value = v;
        loaded = true;
      },
      configurable: true,
      enumerable: false,
    });
  }
  lazyGlobal('crypto', () => {
    const c = builtin('crypto');
    return { getRandomValues: c.getRandomValues, randomUUID: c.randomUUID, subtle: undefined };
  });
  lazyGlobal('TextEncoder', () => nodeRequire('internal/encoding').TextEncoder);
  lazyGlobal('TextDecoder', () => nodeRequire('internal/encoding').TextDecoder);
  lazyGlobal('URL', () => builtin('url').URL);
  lazyGlobal('URLSearchParams', () => builtin('url').URLSearchParams);
  globalThis.awslambda = {
    streamifyResponse: () => {
      throw new Error('not simulated: response streaming (awslambda.streamifyResponse)');
    },
  };
  return {
    loadHandler,
    loadCjs: (file) => {
      if (file.startsWith('node:')) return builtin(file.slice(5));
      return file.startsWith(SDK_ROOT) ? sdkModule(file.slice(SDK_ROOT.length)) : load(file, undefined);
    },
    resolveBare: (request, from) => {
      // Built-ins resolve to `node:<name>`, which loadCjs answers (Node's `import ... from 'crypto'`).
      const bare = request.startsWith('node:') ? request.slice(5) : request;
      if (NODE_BUILTINS.includes(bare)) return 'node:' + bare;
      if (bundledSdk(request)) {
        sdkModule(request);
        return SDK_ROOT + request;
      }
      return resolve(request, { filename: from, parent: undefined });
    },
    packageType,
    invoke,
    uncaught,
    unhandledRejection,
    initError,
    status: () => (current ? current.state : 0),
    failed: () => !!(current && current.failed),
    payload: () => (current ? current.payload : 'null'),
    isAsync: () => !!(current && current.isAsync),
    setEnv: (vars) => {
      Object.assign(env, vars);
      configureConsole(vars);
    },
    format,
  };
});
