// The host page's own error counter, loaded before the tag: the tag must never add to it.
window.pageErrors = [];
window.addEventListener('error', function (event) { window.pageErrors.push(String(event.message)); });
window.addEventListener('unhandledrejection', function (event) { window.pageErrors.push(String(event.reason)); });
