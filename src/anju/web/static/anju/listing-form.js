// listings/form: moved out of the template so the Content-Security-Policy needs no inline script (decision 0022).
document.addEventListener("DOMContentLoaded", function () {
  var radios = document.querySelectorAll("input[name=kind]");
  function show() {
    var kind = (document.querySelector("input[name=kind]:checked") || {}).value || "sale";
    document.querySelectorAll("[data-kind]").forEach(function (el) { el.hidden = el.dataset.kind !== kind; });
  }
  radios.forEach(function (r) { r.addEventListener("change", show); });
  show();
  // Picking a community from the search results replaces the earlier choice.
  document.addEventListener("change", function (event) {
    if (event.target.name === "community" && event.target.closest("#community-options")) {
      var earlier = document.getElementById("community-selected");
      if (earlier) { earlier.remove(); }
    }
  });
});
