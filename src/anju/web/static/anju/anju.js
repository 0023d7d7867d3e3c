// base: moved out of the template so the Content-Security-Policy needs no inline script (decision 0022).
  // An answer swapped in by htmx and marked data-scroll-into-view is brought on screen if it landed off it.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var answer = document.querySelector("[data-scroll-into-view]");
    if (!answer) { return; }
    answer.removeAttribute("data-scroll-into-view");  // once: later swaps elsewhere leave the page alone
    answer.scrollIntoView({block: "nearest"});
  });

// What templates once did in on…="" attributes, now declared with data attributes (the CSP allows no
// inline handler). Listeners sit on the document, so content htmx swaps in behaves the same.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-submit-on-change]") && field.form) { field.form.submit(); }
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) { event.preventDefault(); }
});
document.addEventListener("keydown", function (event) {
  if (event.key === "Enter" && event.target.matches && event.target.matches("[data-no-enter-submit]")) {
    event.preventDefault();
  }
});
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-print-page], [data-copy], [data-fill]") : null;
  if (!button) { return; }
  if (button.hasAttribute("data-print-page")) { window.print(); return; }
  if (button.hasAttribute("data-copy")) {
    if (navigator.clipboard) { navigator.clipboard.writeText(button.dataset.copy); }
    button.textContent = button.dataset.copied;
    return;
  }
  // data-fill="FIELD" data-date="VALUE": puts the value into the form's field; data-check ticks a box.
  var form = button.form;
  if (!form) { return; }
  form.elements[button.dataset.fill].value = button.dataset.date || "";
  if (button.dataset.check) { form.elements[button.dataset.check].checked = true; }
});
