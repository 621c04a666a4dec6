/* Photos are scaled down on the phone before they are sent:
   <input type="file" data-downscale="1600"> gets, in place of the chosen photo,
   a JPEG whose longer side is at most that many pixels (a phone's 12-megapixel
   shot is 3–5 MB; scaled it is about 300 KB). A photo already small enough, or a
   browser that cannot, sends the original; the server checks either by content. */
(function () {
  "use strict";

  function scaled(file, limit) {
    return new Promise(function (resolve) {
      if (!window.createImageBitmap || !window.DataTransfer || !/^image\//.test(file.type)) {
        resolve(file);
        return;
      }
      createImageBitmap(file).then(function (bitmap) {
        var longer = Math.max(bitmap.width, bitmap.height);
        if (longer <= limit) {
          resolve(file);
          return;
        }
        var ratio = limit / longer;
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * ratio);
        canvas.height = Math.round(bitmap.height * ratio);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          if (!blob) {
            resolve(file);
            return;
          }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", 0.85);
      }, function () {
        resolve(file);
      });
    });
  }

  function prepare(input) {
    var limit = parseInt(input.getAttribute("data-downscale"), 10) || 1600;
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) {
        return;
      }
      var form = input.form;
      var button = form && form.querySelector("[type=submit]");
      if (button) {
        button.disabled = true;
      }
      scaled(file, limit).then(function (result) {
        if (result !== file) {
          var transfer = new DataTransfer();
          transfer.items.add(result);
          input.files = transfer.files;
        }
        input.setAttribute("data-ready", String(result.size));
        if (button) {
          button.disabled = false;
        }
      });
    });
  }

  document.querySelectorAll("input[type=file][data-downscale]").forEach(prepare);
})();
