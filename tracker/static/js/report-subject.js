// "Welke medewerker?" only when the report is about a staff member (issue 11.1).
// Without this script the list stays visible and the server applies the same rule:
// a picked name is the subject (tracker/domain/subject.py).
(function () {
  "use strict";
  var box = document.getElementById("about-staff-box");
  if (!box) { return; }
  var select = box.querySelector("select");
  var radios = document.querySelectorAll("input[type=radio][name$='about_kind']");
  if (!select || !radios.length) { return; }

  function chosen() {
    for (var i = 0; i < radios.length; i++) {
      if (radios[i].checked) { return radios[i].value; }
    }
    return "";
  }

  function update() {
    var staff = chosen() === "staff";
    box.hidden = !staff;
    // A hidden list sends nothing; choosing "staff" again brings the pick back.
    select.disabled = !staff;
  }

  // A name already picked (e.g. the form came back with an error) means "a staff member".
  if (select.value) {
    for (var i = 0; i < radios.length; i++) {
      radios[i].checked = radios[i].value === "staff";
    }
  }
  for (var j = 0; j < radios.length; j++) {
    radios[j].addEventListener("change", update);
  }
  update();
}());
