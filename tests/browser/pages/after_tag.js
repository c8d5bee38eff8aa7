// The page's own script after the tag: it must always run.
window.pageScriptRan = true;
