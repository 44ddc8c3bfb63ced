// Evidence (issue 17): where a report may carry no files (sexual behaviour ticked, or a category
// such as a photo shared without consent), the file input switches off and says why. Without
// this script the server refuses the files with the same words and keeps the rest of the form.
(function () {
  "use strict";
  var input = document.getElementById("evidence");
  var note = document.getElementById("evidence-forbidden");
  if (!input || !note || !input.dataset.forbidden) { return; }
  var forbidden = input.dataset.forbidden.split(",");
  var category = document.getElementById("category");
  var sexual = document.getElementById("sexual");

  function update() {
    var off = (sexual && sexual.checked) ||
      (category && forbidden.indexOf(category.value) !== -1);
    if (off) { input.value = ""; }
    input.disabled = off;
    note.hidden = !off;
  }

  if (category) { category.addEventListener("change", update); }
  if (sexual) { sexual.addEventListener("change", update); }
  update();
}());
