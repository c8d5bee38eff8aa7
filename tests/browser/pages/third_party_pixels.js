// A pixel from each origin in the page's ?from= list (comma-separated), before load: the test
// server's second host names are only known at run time, and a page must not need inline script.
new URLSearchParams(location.search).get('from').split(',').forEach(function (origin) {
  var pixel = document.createElement('img');
  pixel.src = origin + '/thirdparty/px.gif?page=allowed';
  document.documentElement.appendChild(pixel);  // in the document, so the load event waits for it
});
