/* powermap war-room map: first script of the page. Records script errors and anything the page's
   Content-Security-Policy blocked (an attempted network load, an injected handler) as attributes of
   <body>, so a person or a headless test can see that the map came up clean. Never writes HTML. */
(function () {
  "use strict";
  var body = document.body;
  function note(key, text) {
    var previous = body.getAttribute("data-" + key);
    var entry = String(text).slice(0, 300);
    body.setAttribute("data-" + key, previous ? previous + " | " + entry : entry);
  }
  window.addEventListener("error", function (event) {
    note("errors", event && event.message ? event.message : "error");
  });
  window.addEventListener("unhandledrejection", function (event) {
    note("errors", "unhandled rejection: " + (event && event.reason ? event.reason : ""));
  });
  document.addEventListener("securitypolicyviolation", function (event) {
    note("blocked", event.effectiveDirective + " " + (event.blockedURI || ""));
  });
})();
