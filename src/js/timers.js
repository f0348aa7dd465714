// Node's `timers` and `timers/promises` (docs: Node.js 20 "Timers"). The callback forms are the globals (on the
// virtual clock); the promise forms resolve with `value` after `delay` virtual milliseconds. An AbortSignal in
// `options.signal` is not simulated (loud), nor is the `setInterval` async iterator.
'use strict';

function checkOptions(options) {
  if (options !== undefined && options !== null && options.signal !== undefined) {
    throw new Error('not simulated: timers/promises with an AbortSignal');
  }
}
const promises = {
  setTimeout(delay, value, options) {
    checkOptions(options);
    return new Promise((resolve) => setTimeout(() => resolve(value), delay));
  },
  setImmediate(value, options) {
    checkOptions(options);
    return new Promise((resolve) => setImmediate(() => resolve(value)));
  },
  setInterval() {
    throw new Error('not simulated: timers/promises.setInterval');
  },
  scheduler: {
    wait: (delay, options) => promises.setTimeout(delay, undefined, options),
    yield: () => promises.setImmediate(),
  },
};
module.exports = {
  setTimeout,
  setInterval,
  setImmediate,
  clearTimeout,
  clearInterval,
  clearImmediate,
  promises,
};
