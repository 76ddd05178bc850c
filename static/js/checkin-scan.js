// Check-in: where the browser can read QR codes (BarcodeDetector), the organiser's camera
// fills in the code and sends the form. Without it the page works as a typed form.
(function () {
  "use strict";
  var button = document.getElementById("check-in-camera");
  var form = document.getElementById("check-in-form");
  var video = document.getElementById("check-in-video");
  if (!button || !form || !video || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        button.hidden = true;
        return video.play().then(function () {
          var look = function () {
            detector.detect(video).then(function (codes) {
              if (codes.length) {
                stream.getTracks().forEach(function (track) { track.stop(); });
                form.elements.code.value = codes[0].rawValue;
                form.submit();
              } else {
                window.setTimeout(look, 250);
              }
            }, function () { window.setTimeout(look, 500); });
          };
          look();
        });
      })
      .catch(function () {
        button.hidden = false;
        video.hidden = true;
      });
  });
})();
