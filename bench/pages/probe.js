// Runs before the tag, in the page itself, so what the bench reads after load was recorded
// by the page and not by Selenium: when the tag's first beacon was queued, and long tasks.
(function () {
  var probe = window.candorBench = {beaconQueuedAt: null, longTasks: []};
  var nav = navigator;
  var sendBeacon = nav.sendBeacon;
  nav.sendBeacon = function (url, body) {
    var queued = sendBeacon.call(nav, url, body);
    if (probe.beaconQueuedAt === null) {
      probe.beaconQueuedAt = performance.now();
    }
    return queued;
  };
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (task) {
      probe.longTasks.push({start: task.startTime, duration: task.duration});
    });
  }).observe({type: 'longtask', buffered: true});
})();
