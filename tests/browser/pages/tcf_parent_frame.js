// The framed page comes from another origin (localhost instead of 127.0.0.1, same server), so
// the tag can reach the parent's CMP only through the __tcfapiLocator frame and postMessage.
(function () {
  var frame = document.createElement('iframe');
  frame.id = 'tagged';
  frame.src = location.protocol + '//localhost:' + location.port + '/fixture/tcf_child.html' + location.search;
  document.body.appendChild(frame);
})();
