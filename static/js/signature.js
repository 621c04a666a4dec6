// On-screen signatures: every element with [data-signature-field] holds a
// <canvas> and a hidden <input data-signature-input>; the drawing is kept in
// the input as a PNG data URL, and a [data-signature-clear] button wipes it.
(function () {
  "use strict";

  function setUp(field) {
    var canvas = field.querySelector("canvas");
    var input = field.querySelector("[data-signature-input]");
    var clear = field.querySelector("[data-signature-clear]");
    if (!canvas || !input || typeof SignaturePad === "undefined") {
      return;
    }
    var pad = new SignaturePad(canvas, { backgroundColor: "rgb(255,255,255)" });

    function store() {
      input.value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
      field.classList.toggle("is-signed", !pad.isEmpty());
    }

    function resize() {
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var data = pad.toData();
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      pad.fromData(data);
      store();
    }

    pad.addEventListener("endStroke", store);
    if (clear) {
      clear.addEventListener("click", function () {
        pad.clear();
        store();
      });
    }
    window.addEventListener("resize", resize);
    resize();
    var form = field.closest("form");
    if (form) {
      form.addEventListener("submit", store);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-signature-field]").forEach(setUp);
  });
})();
