// The queuing __gpp a page defines before its GPP CMP loads, in the shape @iabgpp/cmpapi reads
// (there is no IAB stub package for GPP): __gpp() returns the queued calls, __gpp('events')
// the queued listeners, any other call is queued.
(function () {
  var queue = [];
  window.__gpp = function () {
    if (!arguments.length) return queue;
    if (arguments[0] === 'events') return [];
    queue.push([].slice.call(arguments));
  };
})();
