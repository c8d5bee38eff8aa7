// Hostile page set-ups, chosen by ?hostile=a,b before the tag loads: what publishers' pages do.
(function () {
  var cases = (new URLSearchParams(location.search).get('hostile') || '').split(',');
  if (cases.indexOf('cookie-throws') > -1) {
    Object.defineProperty(document, 'cookie', {
      get: function () { throw new Error('cookie getter blocked by the page'); },
      set: function () { throw new Error('cookie setter blocked by the page'); }
    });
  }
  if (cases.indexOf('no-beacon') > -1) {
    Object.defineProperty(Navigator.prototype, 'sendBeacon', {value: undefined, configurable: true});
  }
  if (cases.indexOf('beacon-throws') > -1) {
    Navigator.prototype.sendBeacon = function () { throw new Error('sendBeacon replaced by the page'); };
  }
  if (cases.indexOf('frozen') > -1) {
    Object.freeze(Array.prototype);
    Object.freeze(Object.prototype);
  }
})();
