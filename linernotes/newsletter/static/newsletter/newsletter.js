// Progressive enhancement for newsletter signup forms. Without JavaScript a form posts and the
// server answers with a page; with it, the same POST (plus fragment=1) returns only the form
// (with its error) or the result, which replaces the form in place and receives focus.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData || !window.DOMParser) return;

  function enhance(root) {
    root.querySelectorAll("form[data-newsletter-form]").forEach(function (form) {
      // The server's messages are tied to the field; the browser's bubbles would pre-empt them.
      form.noValidate = true;
    });
  }

  async function submit(form) {
    const data = new FormData(form);
    data.set("fragment", "1");
    form.setAttribute("aria-busy", "true");
    const response = await fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    });
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const replacement = doc.body.firstElementChild;
    if (!replacement) throw new Error("empty answer (HTTP " + response.status + ")");
    form.replaceWith(replacement);
    enhance(replacement.parentNode);
    const target = replacement.matches("[data-newsletter-result]")
      ? replacement
      : replacement.querySelector("[aria-invalid='true']");
    if (target) target.focus();
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("[data-newsletter-form]")) return;
    event.preventDefault();
    submit(form).catch(function () {
      // Fall back to an ordinary submission, which always works.
      form.removeAttribute("aria-busy");
      HTMLFormElement.prototype.submit.call(form);
    });
  });

  enhance(document);
})();
