// Profiles the tag by instrumentation: wraps each browser API the tag calls and adds up the
// time spent inside it, per API (the tag is the only script on the page that calls them). Loaded
// after probe.js, on the profiled page only: a sampling profiler cannot see time spent blocked in
// the browser (a synchronous cookie read waits on the network process).
(function () {
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
    var descriptor = Object.getOwnPropertyDescriptor(owner, property);
    Object.defineProperty(owner, property, {
      configurable: true,
      enumerable: descriptor.enumerable,
      get: descriptor.get && timed(label + ' (read)', descriptor.get),
      set: descriptor.set && timed(label + ' (write)', descriptor.set)
    });
  }
  function wrapMethod(owner, property, label) {
    owner[property] = timed(label, owner[property]);
  }
  wrapAccessor(Document.prototype, 'cookie', 'document.cookie');
  wrapAccessor(Document.prototype, 'currentScript', 'document.currentScript');
  wrapAccessor(Document.prototype, 'referrer', 'document.referrer');
  wrapAccessor(Document.prototype, 'title', 'document.title');
  wrapAccessor(Navigator.prototype, 'language', 'navigator.language');
  wrapAccessor(Screen.prototype, 'width', 'screen.width');
  wrapAccessor(Screen.prototype, 'height', 'screen.height');
  wrapMethod(Crypto.prototype, 'getRandomValues', 'crypto.getRandomValues');
  wrapMethod(JSON, 'stringify', 'JSON.stringify');
  wrapMethod(Intl, 'DateTimeFormat', 'Intl.DateTimeFormat()');
  wrapMethod(Intl.DateTimeFormat.prototype, 'resolvedOptions', 'Intl resolvedOptions()');
  wrapMethod(navigator, 'sendBeacon', 'navigator.sendBeacon');
})();
