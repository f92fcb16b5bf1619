/* Move focus to the error summary when a form comes back with errors, so keyboard and screen-reader users
   start from the list of problems (each links to its field). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();
