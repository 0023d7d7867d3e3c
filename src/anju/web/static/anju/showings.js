// 带看 pages: the signature pad (finger or mouse) and picking a meeting point on the drawn map.
// No library: pointer events cover touch, pen and mouse.
(function () {
  "use strict";

  function signaturePad(form) {
    var canvas = form.querySelector("canvas.signature-pad");
    var field = form.querySelector("input[name=signature]");
    if (!canvas || !field) return;
    var ctx = canvas.getContext("2d");
    var drawn = false;
    var last = null;
    ctx.lineWidth = 4;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#111";

    function at(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - box.left) * (canvas.width / box.width),
        y: (event.clientY - box.top) * (canvas.height / box.height),
      };
    }
    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      last = at(event);
      ctx.beginPath();
      ctx.arc(last.x, last.y, ctx.lineWidth / 2, 0, Math.PI * 2);
      ctx.fillStyle = ctx.strokeStyle;
      ctx.fill();
      drawn = true;
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!last) return;
      event.preventDefault();
      var point = at(event);
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(point.x, point.y);
      ctx.stroke();
      last = point;
    });
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
      canvas.addEventListener(name, function () { last = null; });
    });
    var clear = form.querySelector(".signature-clear");
    if (clear) {
      clear.addEventListener("click", function () {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        drawn = false;
        field.value = "";
      });
    }
    form.addEventListener("submit", function () {
      field.value = drawn ? canvas.toDataURL("image/png") : "";
    });
  }

  function mapPicker(svg) {
    var form = svg.closest("form");
    if (!form || !svg.dataset.scale) return;
    var lat = form.querySelector("[name=start_latitude]");
    var lng = form.querySelector("[name=start_longitude]");
    var label = form.querySelector("[name=start_label]");
    var marker = svg.querySelector("circle.picked");
    var d = svg.dataset;
    svg.style.cursor = "crosshair";
    svg.addEventListener("click", function (event) {
      var box = svg.getBoundingClientRect();
      var x = (event.clientX - box.left) * (Number(d.width) / box.width);
      var y = (event.clientY - box.top) * (Number(d.height) / box.height);
      var longitude = Number(d.centreLng) + (x - Number(d.width) / 2) / (Number(d.scale) * Number(d.cos));
      var latitude = Number(d.centreLat) - (y - Number(d.height) / 2) / Number(d.scale);
      lat.value = latitude.toFixed(6);
      lng.value = longitude.toFixed(6);
      if (label && !label.value) label.value = label.dataset.picked || "约定地点";
      marker.setAttribute("cx", x.toFixed(1));
      marker.setAttribute("cy", y.toFixed(1));
    });
  }

  document.querySelectorAll("form.signature-form").forEach(signaturePad);
  document.querySelectorAll("svg.showing-map[data-pick]").forEach(mapPicker);
})();
