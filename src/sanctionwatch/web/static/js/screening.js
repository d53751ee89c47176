// Screening page: refuse a file over the server's limit before uploading it (the server
// refuses it too; this only saves the wait). No inline code: loaded from here (CSP).
(function () {
  "use strict";
  const form = document.getElementById("batch-form");
  if (!form) {
    return;
  }
  const input = form.querySelector('input[type="file"]');
  const note = document.getElementById("b-file-check");
  const most = Number(form.dataset.maxBytes);
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    let message = "";
    if (file && most && file.size > most) {
      message = file.name + ": " + file.size.toLocaleString("en") + " bytes is too big for one batch (at most " +
        most.toLocaleString("en") + " bytes); split it, or use 'sanctionwatch screen'.";
    }
    input.setCustomValidity(message);
    note.textContent = message;
  });
})();
