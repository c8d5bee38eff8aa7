// The queued-command stub and the site's first command, from a file rather than inline
// <script> so the page keeps a strict Content-Security-Policy (script-src 'self').
// The stub: until the tag has loaded, candor(...) only queues its arguments in candor.q.
window.candor = window.candor || function () { (candor.q = candor.q || []).push(arguments); };
// Queued now, run by the tag in order once it has loaded.
candor('init', {site: 'demo', collector: '/collect'});
