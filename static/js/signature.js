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
    // A signature sent with a form that came back for another field's error is
    // drawn again (the page keeps it in the input): the customer never signs twice.
    var kept = /^data:image\/png;base64,/.test(input.value) ? input.value : "";

    function store() {
      var value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
      var changed = value !== input.value;
      input.value = value;
      field.classList.toggle("is-signed", !pad.isEmpty());
      if (changed) {
        // Heard by the form's keeper (autosave.js): a drawing is input like typing.
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }

    function resize() {
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var data = pad.toData();
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      if (kept) {
        pad
          .fromDataURL(kept, { width: canvas.offsetWidth, height: canvas.offsetHeight })
          .then(function () {
            pad.fromData(data, { clear: false });
            store();
          });
        return;
      }
      pad.fromData(data);
      store();
    }

    pad.addEventListener("endStroke", store);
    if (clear) {
      clear.addEventListener("click", function () {
        kept = "";
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
