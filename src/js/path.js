// Node's `path` module (POSIX). Evaluated the first time code requires it.
'use strict';
const TASK_ROOT = '/var/task';
function normalize(path) {
  const out = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}
const pathModule = {
  sep: '/',
  delimiter: ':',
  normalize: (p) => {
    const abs = p.startsWith('/');
    const out = [];
    for (const part of p.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
      else if (part !== '..' || !abs) out.push(part);
    }
    const joined = out.join('/');
    return (abs ? '/' : '') + (joined || (abs ? '' : '.'));
  },
  join: (...parts) => pathModule.normalize(parts.filter((p) => p !== '').join('/') || '.'),
  resolve: (...parts) => {
    let acc = TASK_ROOT;
    for (const p of parts) if (p !== '') acc = p.startsWith('/') ? p : acc + '/' + p;
    return normalize(acc);
  },
  isAbsolute: (p) => p.startsWith('/'),
  dirname: (p) => {
    const i = p.replace(/\/+$/, '').lastIndexOf('/');
    return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
  },
  basename: (p, ext) => {
    const b = p.replace(/\/+$/, '').split('/').pop();
    return ext && b.endsWith(ext) && b !== ext ? b.slice(0, -ext.length) : b;
  },
  extname: (p) => {
    const b = pathModule.basename(p);
    const i = b.lastIndexOf('.');
    return i <= 0 ? '' : b.slice(i);
  },
};
pathModule.posix = pathModule;
module.exports = pathModule;
