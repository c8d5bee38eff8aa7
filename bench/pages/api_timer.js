// Where a tag's main-thread time goes, in every engine (Firefox and WebKitGTK have no profiler a
// WebDriver session can drive): wraps the browser APIs analytics tags call and adds up the time
// spent inside each, per API. Loaded after probe.js, before the tag, on the profiled pages only;
// the tag is then the only script on the page that calls them. JSON is left alone: WebDriver's
// own scripts, which read the page, call JSON.parse and JSON.stringify in it.
(function () {
  'use strict';
  var spent = window.candorBench.apis = {};
  function timed(name, call) {
    return function () {
      var started = performance.now();
      try {
        return call.apply(this, arguments);
      } finally {
        var api = spent[name] = spent[name] || {ms: 0, calls: 0};
        api.ms += performance.now() - started;
        api.calls += 1;
      }
    };
  }
  function wrapAccessor(owner, property, label) {
    var descriptor = owner && Object.getOwnPropertyDescriptor(owner, property);
    if (!descriptor) {
      return;
    }
    Object.defineProperty(owner, property, {
      configurable: true,
      enumerable: descriptor.enumerable,
      get: descriptor.get && timed(label + ' (read)', descriptor.get),
      set: descriptor.set && timed(label + ' (write)', descriptor.set)
    });
  }
  function wrapMethod(owner, property, label) {
    if (owner && typeof owner[property] === 'function') {
      owner[property] = timed(label, owner[property]);
    }
  }
  wrapAccessor(Document.prototype, 'cookie', 'document.cookie');
  wrapAccessor(Document.prototype, 'currentScript', 'document.currentScript');
  wrapAccessor(Document.prototype, 'referrer', 'document.referrer');
  wrapAccessor(Document.prototype, 'title', 'document.title');
  wrapAccessor(Navigator.prototype, 'language', 'navigator.language');
  wrapAccessor(Screen.prototype, 'width', 'screen.width');
  wrapAccessor(Screen.prototype, 'height', 'screen.height');
  wrapMethod(Crypto.prototype, 'getRandomValues', 'crypto.getRandomValues');
  wrapMethod(Crypto.prototype, 'randomUUID', 'crypto.randomUUID');
  wrapMethod(Intl, 'DateTimeFormat', 'Intl.DateTimeFormat()');
  wrapMethod(Intl.DateTimeFormat.prototype, 'resolvedOptions', 'Intl resolvedOptions()');
  wrapMethod(Storage.prototype, 'getItem', 'localStorage.getItem');
  wrapMethod(Storage.prototype, 'setItem', 'localStorage.setItem');
  wrapMethod(PerformanceObserver.prototype, 'observe', 'PerformanceObserver.observe');
  wrapMethod(EventTarget.prototype, 'addEventListener', 'addEventListener');
  wrapMethod(navigator, 'sendBeacon', 'navigator.sendBeacon');
  wrapMethod(window, 'fetch', 'fetch');
  wrapMethod(XMLHttpRequest.prototype, 'send', 'XMLHttpRequest.send');
})();
