// Node's `events` (docs: Node.js 20 "Events"): EventEmitter with on/addListener, once, off/removeListener,
// prependListener, emit, listenerCount, listeners, rawListeners, eventNames, removeAllListeners,
// setMaxListeners/getMaxListeners, and the `error` rule: emitting 'error' with no listener throws the error (or
// `Unhandled error. (<inspected value>)` with code ERR_UNHANDLED_ERROR for a non-Error), plus `events.once`.
'use strict';
const { inspect } = require('internal/console');

function checkListener(listener) {
  if (typeof listener !== 'function') {
    const e = new TypeError('The "listener" argument must be of type function. Received ' + inspect(listener));
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
}

class EventEmitter {
  constructor() {
    EventEmitter.init.call(this);
  }
  static init() {
    if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
      this._events = Object.create(null);
    }
    if (this._maxListeners === undefined) this._maxListeners = undefined;
  }
  _add(name, listener, prepend) {
    checkListener(listener);
    if (this._events === undefined) this._events = Object.create(null);
    // 'newListener' is emitted before the listener is added (docs: Event 'newListener').
    if (this._events.newListener !== undefined) this.emit('newListener', name, listener.listener ? listener.listener : listener);
    const list = this._events[name] || (this._events[name] = []);
    if (prepend) list.unshift(listener);
    else list.push(listener);
    return this;
  }
  on(name, listener) {
    return this._add(name, listener, false);
  }
  addListener(name, listener) {
    return this._add(name, listener, false);
  }
  prependListener(name, listener) {
    return this._add(name, listener, true);
  }
  _wrapOnce(name, listener) {
    checkListener(listener);
    const emitter = this;
    const wrapper = function (...args) {
      emitter.removeListener(name, wrapper);
      return listener.apply(this, args);
    };
    wrapper.listener = listener;
    return wrapper;
  }
  once(name, listener) {
    return this._add(name, this._wrapOnce(name, listener), false);
  }
  prependOnceListener(name, listener) {
    return this._add(name, this._wrapOnce(name, listener), true);
  }
  removeListener(name, listener) {
    checkListener(listener);
    const list = this._events && this._events[name];
    if (!list) return this;
    // The most recently added matching listener goes (docs: emitter.removeListener).
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] === listener || list[i].listener === listener) {
        list.splice(i, 1);
        if (list.length === 0) delete this._events[name];
        if (this._events.removeListener !== undefined) this.emit('removeListener', name, listener);
        break;
      }
    }
    return this;
  }
  off(name, listener) {
    return this.removeListener(name, listener);
  }
  removeAllListeners(name) {
    if (this._events === undefined) return this;
    if (name === undefined) this._events = Object.create(null);
    else delete this._events[name];
    return this;
  }
  emit(name, ...args) {
    const list = this._events && this._events[name];
    if (name === 'error' && (!list || list.length === 0)) {
      const er = args[0];
      if (er instanceof Error) throw er;
      const e = new Error('Unhandled error. (' + (typeof er === 'string' ? inspect(er, 1) : inspect(er)) + ')');
      e.code = 'ERR_UNHANDLED_ERROR';
      e.context = er;
      throw e;
    }
    if (!list) return false;
    for (const listener of list.slice()) listener.apply(this, args);
    return true;
  }
  listenerCount(name, listener) {
    const list = (this._events && this._events[name]) || [];
    if (listener === undefined) return list.length;
    return list.filter((l) => l === listener || l.listener === listener).length;
  }
  listeners(name) {
    return ((this._events && this._events[name]) || []).map((l) => l.listener || l);
  }
  rawListeners(name) {
    return ((this._events && this._events[name]) || []).slice();
  }
  eventNames() {
    return this._events ? Reflect.ownKeys(this._events) : [];
  }
  setMaxListeners(n) {
    this._maxListeners = n;
    return this;
  }
  getMaxListeners() {
    return this._maxListeners === undefined ? EventEmitter.defaultMaxListeners : this._maxListeners;
  }
}
EventEmitter.defaultMaxListeners = 10;
EventEmitter.EventEmitter = EventEmitter;
EventEmitter.errorMonitor = Symbol('events.errorMonitor');
// events.once(emitter, name): a promise of the arguments of the next `name` event, rejected by an 'error' event.
EventEmitter.once = function once(emitter, name) {
  return new Promise((resolve, reject) => {
    const onError = (err) => {
      emitter.removeListener(name, onEvent);
      reject(err);
    };
    const onEvent = (...args) => {
      if (name !== 'error') emitter.removeListener('error', onError);
      resolve(args);
    };
    emitter.once(name, onEvent);
    if (name !== 'error') emitter.once('error', onError);
  });
};
EventEmitter.listenerCount = (emitter, name) => emitter.listenerCount(name);
module.exports = EventEmitter;
