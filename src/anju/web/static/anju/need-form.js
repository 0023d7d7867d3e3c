// needs/form: moved out of the template so the Content-Security-Policy needs no inline script (decision 0022).
// Show only the sections of the chosen kind; without scripts every section stays visible.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("need-form");
  function show() {
    var checked = form.querySelector("input[name=kind]:checked");
    var kind = checked ? checked.value : form.dataset.kind;
    form.querySelectorAll("[data-kinds]").forEach(function (section) {
      section.hidden = kind ? section.dataset.kinds.split(" ").indexOf(kind) < 0 : false;
    });
  }
  form.addEventListener("change", function (event) { if (event.target.name === "kind") { show(); } });
  show();
});
