// Runs first in every bench page, before any tag, so what the bench reads after load was recorded
// by the page itself, the same way in every engine:
// - the first request queued to the stub collector (sendBeacon, fetch and XHR wrapped);
// - the tag's main-thread time: the tag file runs between enter() and leave() (the bench serves it
//   so), and every callback registered while tag code runs (timers, microtasks, promise reactions,
//   event listeners, on* handlers, observers) is timed as tag code when it runs, however deep;
// - long tasks, where the engine reports them.
(function () {
  'use strict';
  var win = window;
  var now = performance.now.bind(performance);
  var types = (win.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
  var probe = win.candorBench = {
    tagStart: null, tagEnd: null, tagMs: 0, callbacks: 0, firstRequestAt: null, requests: [],
    longTasks: types.indexOf('longtask') >= 0 ? [] : null, isolated: win.crossOriginIsolated === true
  };
  var depth = 0;
  var enteredAt = 0;

  function enter() {
    if (depth++ === 0) {
      enteredAt = now();
    }
  }
  function leave() {
    if (--depth === 0) {
      probe.tagMs += now() - enteredAt;
    }
  }
  probe.enter = function () {
    probe.tagStart = now();
    enter();
  };
  probe.leave = function () {
    leave();
    probe.tagEnd = now();
  };

  var wrapped = new WeakMap();
  function attributed(callback) {
    if (typeof callback !== 'function' || depth === 0) {
      return callback;
    }
    var timed = function () {
      probe.callbacks += 1;
      enter();
      try {
        return callback.apply(this, arguments);
      } finally {
        leave();
      }
    };
    wrapped.set(callback, timed);
    return timed;
  }
  function wrapArgument(owner, name, index) {
    var original = owner[name];
    if (typeof original !== 'function') {
      return;
    }
    owner[name] = function () {
      var args = Array.prototype.slice.call(arguments);
      args[index] = attributed(args[index]);
      return original.apply(this, args);
    };
  }
  ['setTimeout', 'setInterval', 'requestAnimationFrame', 'requestIdleCallback', 'queueMicrotask'].forEach(
    function (name) { wrapArgument(win, name, 0); });
  var then = Promise.prototype.then;
  Promise.prototype.then = function (fulfilled, rejected) {
    return then.call(this, attributed(fulfilled), attributed(rejected));
  };
  var addListener = EventTarget.prototype.addEventListener;
  var removeListener = EventTarget.prototype.removeEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    var handler = listener && typeof listener === 'object' && depth > 0
      ? function (event) { return listener.handleEvent(event); } : listener;
    var timed = attributed(handler);
    if (timed !== listener && listener) {
      wrapped.set(listener, timed);
    }
    return addListener.call(this, type, timed, options);
  };
  EventTarget.prototype.removeEventListener = function (type, listener, options) {
    return removeListener.call(this, type, (listener && wrapped.get(listener)) || listener, options);
  };
  function wrapHandlerProperty(prototype, name) {
    var descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    if (!descriptor || !descriptor.set) {
      return;
    }
    Object.defineProperty(prototype, name, {
      configurable: true, enumerable: descriptor.enumerable, get: descriptor.get,
      set: function (handler) { descriptor.set.call(this, attributed(handler)); }
    });
  }
  ['onload', 'onerror', 'onreadystatechange', 'ontimeout'].forEach(function (name) {
    wrapHandlerProperty(XMLHttpRequestEventTarget.prototype, name);
    wrapHandlerProperty(XMLHttpRequest.prototype, name);
    wrapHandlerProperty(HTMLElement.prototype, name);
  });
  ['MutationObserver', 'PerformanceObserver', 'IntersectionObserver', 'ResizeObserver'].forEach(function (name) {
    var Original = win[name];
    if (typeof Original !== 'function') {
      return;
    }
    var Observer = function (callback) {
      return Reflect.construct(Original, [attributed(callback)], new.target || Observer);
    };
    Observer.prototype = Original.prototype;
    Object.setPrototypeOf(Observer, Original);
    win[name] = Observer;
  });

  function byteLength(body) {
    if (body === undefined || body === null) {
      return 0;
    }
    if (typeof body === 'string') {
      return new TextEncoder().encode(body).length;
    }
    return body.size !== undefined ? body.size : (body.byteLength || 0);
  }
  function queued(api, url, body) {
    if (String(url).indexOf('/stub/') < 0) {
      return;
    }
    var at = now();
    if (probe.firstRequestAt === null) {
      probe.firstRequestAt = at;
    }
    probe.requests.push({api: api, at: at, bytes: byteLength(body)});
  }
  var nav = navigator;
  if (nav.sendBeacon) {
    var sendBeacon = nav.sendBeacon;
    nav.sendBeacon = function (url, body) {
      queued('sendBeacon', url, body);
      return sendBeacon.call(nav, url, body);
    };
  }
  if (win.fetch) {
    var fetch = win.fetch;
    win.fetch = function (resource, init) {
      queued('fetch', resource && resource.url ? resource.url : resource, init && init.body);
      return fetch.apply(this, arguments);
    };
  }
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var xhrUrls = new WeakMap();
  XMLHttpRequest.prototype.open = function (method, url) {
    xhrUrls.set(this, url);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function (body) {
    queued('xhr', xhrUrls.get(this), body);
    return send.apply(this, arguments);
  };

  if (probe.longTasks) {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (task) {
        probe.longTasks.push({start: task.startTime, duration: task.duration});
      });
    }).observe({type: 'longtask', buffered: true});
  }
})();
