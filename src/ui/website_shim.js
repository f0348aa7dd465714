// Serverless Playground's website shim, put first in every page the website preview shows (src/ui/website.rs).
// It is fixed text: the page's own address comes from this script element's data-page-url attribute.
// The page runs in a sandboxed iframe with no network (its Content-Security-Policy has connect-src 'none'): this
// shim replaces fetch and XMLHttpRequest with versions that hand each call to the playground by postMessage, and
// hands link clicks over too. The playground answers each call with the simulated response, or with ok: false
// when the browser would block it, and then the page's fetch rejects with TypeError: Failed to fetch, as Chrome's.
(function () {
  'use strict';
  var CHANNEL = 'serverless-playground-website';
  var script = document.currentScript;
  var pageUrl = (script && script.getAttribute('data-page-url')) || 'http://localhost/';
  var parentWindow = window.parent;
  var NativeRequest = window.Request;
  var NativeResponse = window.Response;
  var pending = {};
  var nextId = 1;
  // Statuses whose responses have no body (the Fetch standard's null body statuses).
  var NULL_BODY = [101, 103, 204, 205, 304];

  function absolute(url) {
    return new URL(String(url), pageUrl).href;
  }

  window.addEventListener('message', function (event) {
    if (event.source !== parentWindow) return;
    var data = event.data;
    if (!data || data.channel !== CHANNEL || typeof data.id !== 'number') return;
    var done = pending[data.id];
    if (!done) return;
    delete pending[data.id];
    done(data);
  });

  function forward(method, url, headers, body) {
    return new Promise(function (resolve) {
      var id = nextId++;
      pending[id] = resolve;
      parentWindow.postMessage(
        { channel: CHANNEL, kind: 'fetch', id: id, method: method, url: url, headers: headers, body: body },
        '*'
      );
    });
  }

  function bodyOf(answer) {
    if (NULL_BODY.indexOf(answer.status) >= 0) return null;
    if (!answer.base64) return answer.body;
    var text = atob(answer.body);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  window.fetch = function (input, init) {
    var request;
    try {
      request = new NativeRequest(input instanceof NativeRequest ? input : absolute(input), init);
    } catch (error) {
      return Promise.reject(error);
    }
    var headers = [];
    request.headers.forEach(function (value, name) {
      headers.push([name, value]);
    });
    var method = request.method;
    var body = method === 'GET' || method === 'HEAD' ? Promise.resolve('') : request.text();
    return body
      .then(function (text) {
        return forward(method, request.url, headers, text);
      })
      .then(function (answer) {
        if (!answer.ok) throw new TypeError('Failed to fetch');
        var response = new NativeResponse(bodyOf(answer), {
          status: answer.status,
          statusText: answer.statusText,
          headers: answer.headers,
        });
        Object.defineProperty(response, 'url', { value: request.url });
        return response;
      });
  };

  // XMLHttpRequest over the fetch above (asynchronous requests only).
  function ShimXMLHttpRequest() {
    this.readyState = 0;
    this.status = 0;
    this.statusText = '';
    this.responseText = '';
    this.response = '';
    this.responseType = '';
    this.responseURL = '';
    this.timeout = 0;
    this.withCredentials = false;
    this.upload = { addEventListener: function () {}, removeEventListener: function () {} };
    this._listeners = {};
    this._headers = [];
    this._responseHeaders = [];
    this._aborted = false;
  }
  ['UNSENT', 'OPENED', 'HEADERS_RECEIVED', 'LOADING', 'DONE'].forEach(function (name, value) {
    ShimXMLHttpRequest[name] = value;
    ShimXMLHttpRequest.prototype[name] = value;
  });
  ShimXMLHttpRequest.prototype.addEventListener = function (type, listener) {
    (this._listeners[type] = this._listeners[type] || []).push(listener);
  };
  ShimXMLHttpRequest.prototype.removeEventListener = function (type, listener) {
    var list = this._listeners[type] || [];
    var index = list.indexOf(listener);
    if (index >= 0) list.splice(index, 1);
  };
  ShimXMLHttpRequest.prototype._emit = function (type) {
    var xhr = this;
    var event = { type: type, target: xhr, currentTarget: xhr };
    var handler = xhr['on' + type];
    if (typeof handler === 'function') handler.call(xhr, event);
    (xhr._listeners[type] || []).slice().forEach(function (listener) {
      listener.call(xhr, event);
    });
  };
  ShimXMLHttpRequest.prototype.open = function (method, url) {
    var name = String(method);
    this._method = /^(delete|get|head|options|post|put|patch)$/i.test(name) ? name.toUpperCase() : name;
    this._url = absolute(url);
    this._headers = [];
    this._aborted = false;
    this.readyState = 1;
    this._emit('readystatechange');
  };
  ShimXMLHttpRequest.prototype.setRequestHeader = function (name, value) {
    this._headers.push([String(name), String(value)]);
  };
  ShimXMLHttpRequest.prototype.getResponseHeader = function (name) {
    var wanted = String(name).toLowerCase();
    var values = this._responseHeaders
      .filter(function (h) {
        return h[0] === wanted;
      })
      .map(function (h) {
        return h[1];
      });
    return values.length ? values.join(', ') : null;
  };
  ShimXMLHttpRequest.prototype.getAllResponseHeaders = function () {
    return this._responseHeaders
      .map(function (h) {
        return h[0] + ': ' + h[1] + '\r\n';
      })
      .join('');
  };
  ShimXMLHttpRequest.prototype.overrideMimeType = function () {};
  ShimXMLHttpRequest.prototype.abort = function () {
    this._aborted = true;
    this.readyState = 0;
    this._emit('abort');
  };
  ShimXMLHttpRequest.prototype.send = function (body) {
    var xhr = this;
    var init = { method: xhr._method, headers: xhr._headers };
    if (body !== undefined && body !== null && xhr._method !== 'GET' && xhr._method !== 'HEAD') init.body = body;
    xhr._emit('loadstart');
    window
      .fetch(xhr._url, init)
      .then(function (response) {
        xhr._responseHeaders = [];
        response.headers.forEach(function (value, name) {
          xhr._responseHeaders.push([name, value]);
        });
        xhr.status = response.status;
        xhr.statusText = response.statusText;
        xhr.responseURL = xhr._url;
        return response.text();
      })
      .then(
        function (text) {
          if (xhr._aborted) return;
          xhr.responseText = text;
          if (xhr.responseType === 'json') {
            try {
              xhr.response = JSON.parse(text);
            } catch (error) {
              xhr.response = null;
            }
          } else {
            xhr.response = text;
          }
          [2, 3, 4].forEach(function (state) {
            xhr.readyState = state;
            xhr._emit('readystatechange');
          });
          xhr._emit('load');
          xhr._emit('loadend');
        },
        function () {
          if (xhr._aborted) return;
          xhr.readyState = 4;
          xhr.status = 0;
          xhr._emit('readystatechange');
          xhr._emit('error');
          xhr._emit('loadend');
        }
      );
  };
  window.XMLHttpRequest = ShimXMLHttpRequest;

  // Links open the bucket's other pages in the preview (after the page's own click handlers had their say).
  document.addEventListener('click', function (event) {
    var target = event.target;
    var anchor = target && target.closest ? target.closest('a[href]') : null;
    if (!anchor || event.defaultPrevented) return;
    var href = anchor.getAttribute('href');
    if (!href || href.charAt(0) === '#') return;
    event.preventDefault();
    parentWindow.postMessage({ channel: CHANNEL, kind: 'navigate', url: absolute(href) }, '*');
  });
})();
