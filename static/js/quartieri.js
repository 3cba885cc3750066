/*
 * Small behaviours of the portal. The Content-Security-Policy forbids inline scripts and
 * event-handler attributes (onclick=...), so templates ask for behaviour with data-
 * attributes and this file attaches it.
 *
 *   <form data-confirm="Chiudere il periodo?">  asks before submitting.
 *   <select data-autosubmit>                    submits its form when the choice changes
 *                                               (give the form a visible submit button too,
 *                                               for users without JavaScript).
 */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field && field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      if (typeof field.form.requestSubmit === "function") {
        field.form.requestSubmit();
      } else {
        field.form.submit();
      }
    }
  });
})();
