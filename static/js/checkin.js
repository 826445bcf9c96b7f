// Check-in page (templates/checkin/event.html). Progressive enhancement only: the forms there
// work without any of this.
(function () {
  // Keeps the count current while the page stays open.
  var count = document.getElementById("telling");
  if (count && window.fetch) {
    setInterval(function () {
      fetch(count.dataset.url, {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (d) {
          if (!d) { return; }
          count.querySelector("[data-present]").textContent = d.present;
          count.querySelector("[data-expected]").textContent = d.expected;
        })
        .catch(function () {});
    }, 15000);
  }

  // Where the browser can read QR codes itself (Chrome on Android), scan with the
  // camera straight into the code field; elsewhere a scanner or copy-paste fills it.
  var button = document.getElementById("camera");
  var video = document.getElementById("camera-view");
  var field = document.getElementById("payload");
  if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") === -1) { return; }
    var detector = new BarcodeDetector({formats: ["qr_code"]});
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        var look = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              stream.getTracks().forEach(function (track) { track.stop(); });
              field.value = codes[0].rawValue;
              field.form.submit();
            } else {
              setTimeout(look, 250);
            }
          }).catch(function () { setTimeout(look, 500); });
        };
        look();
      }).catch(function () { button.disabled = false; });
    });
  });
})();
