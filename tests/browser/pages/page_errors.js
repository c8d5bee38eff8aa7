// The host page's own error counter, set before the tag: the tag must never add to it.
window.pageErrors = [];
window.onerror = function (message) { window.pageErrors.push(String(message)); };
window.addEventListener('unhandledrejection', function (event) { window.pageErrors.push(String(event.reason)); });
